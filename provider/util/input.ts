// SPDX-License-Identifier: Apache-2.0
import type { Input } from "@pulumi/pulumi";

/** The values {@link DeepInput} wraps as they are, without looking inside. */
export type Scalar = string | number | boolean | bigint | null | undefined;

/**
 * `T` with `pulumi.Input` at every level: any value inside it, however deep, may be a plain
 * value, a promise, another resource's output or a `pulumi.secret(…)`. The engine resolves them
 * all before the provider sees the value.
 */
export type DeepInput<T> = T extends Scalar
  ? Input<T>
  : T extends ReadonlyArray<infer U>
    ? Input<Array<DeepInput<U>>>
    : T extends object
      ? Input<{ [K in keyof T]: DeepInput<T[K]> }>
      : Input<T>;
