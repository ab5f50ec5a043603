// SPDX-License-Identifier: Apache-2.0
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A CA and a server certificate it signed, made at start for `--tls`. */
export interface TlsMaterial {
  /** Server private key and certificate (PEM). */
  key: string;
  cert: string;
  /** The CA certificate clients must trust (PEM), and the file holding it. */
  ca: string;
  caFile: string;
  /** Removes the folder of the files (at close). */
  dispose(): void;
}

/** Host names every emulator certificate covers: loopback and the three public hosts it stands in for. */
export const DEFAULT_TLS_HOSTS = [
  "localhost",
  "127.0.0.1",
  "::1",
  "login.microsoftonline.com",
  "cloudpartner.azure.com",
  "graph.microsoft.com",
];

/**
 * Makes a throw-away CA and a server certificate for `hosts` with the `openssl` command (Node
 * can sign but not build X.509 certificates, and a dependency only for this is not worth it).
 * The CA's private key is deleted once it has signed, so nothing else can be issued under it.
 * Valid for 7 days. Throws a clear error when openssl is missing.
 */
export function generateTls(hosts: string[]): TlsMaterial {
  const dir = mkdtempSync(join(tmpdir(), "cloudpartner-emulator-tls-"));
  const f = (name: string) => join(dir, name);
  const openssl = (args: string[]) => {
    try {
      execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
      if (err.code === "ENOENT")
        throw new Error(
          "--tls needs the openssl command on PATH to make its certificate; install OpenSSL or run without --tls",
          { cause: e },
        );
      throw new Error(`--tls: openssl ${args[0]} failed: ${err.stderr?.toString().trim() ?? err.message}`, {
        cause: e,
      });
    }
  };
  const unique = [...new Set([...DEFAULT_TLS_HOSTS, ...hosts].filter((h) => h && h !== "0.0.0.0" && h !== "::"))];
  const san = unique.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(",");
  openssl([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "7",
    "-subj",
    "/CN=cloudpartner-emulator local CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  openssl([
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
    "-subj",
    "/CN=cloudpartner-emulator",
  ]);
  writeFileSync(
    f("server.ext"),
    `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n`,
  );
  openssl([
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.pem",
    "-days",
    "7",
    "-extfile",
    "server.ext",
  ]);
  unlinkSync(f("ca.key"));
  return {
    key: readFileSync(f("server.key"), "utf8"),
    cert: readFileSync(f("server.pem"), "utf8"),
    ca: readFileSync(f("ca.pem"), "utf8"),
    caFile: f("ca.pem"),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}
