// SPDX-License-Identifier: Apache-2.0
// The dynamic provider of every vmImageVersion resource. The object is this module's whole export, so the
// SDK stores it in state as a require() of this module (make.ts says why).
import { makeProvider } from "./make.js";

export = makeProvider("vmImageVersion");
