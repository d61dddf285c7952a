/**
 * A CLI command that failed at run time (not a usage error): `runCli` prints its message as one line and
 * exits with `exitCode`, without the usage text and without a stack trace.
 */
export class CommandFailed extends Error {
  override name = 'CommandFailed';

  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
