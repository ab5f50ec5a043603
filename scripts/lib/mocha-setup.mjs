// Loaded by .mocharc.json before any test. A failed assertion prints the whole value: chai
// cuts values at 40 characters by default, and an engine error's message only says why a run
// failed after the CLI's command line (a CI log showed "code: -2 stdout: stderr: Command…").
import { config } from "chai";

config.truncateThreshold = 0;
