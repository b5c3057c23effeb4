/**
 * Typed errors. Every message names the parameter, file or chunk at fault and the value seen,
 * so a user can act on it without a stack trace (the CLI prints only the message).
 */

/** A parameter is out of range or of the wrong kind (librosa's `ParameterError`). */
export class ParameterError extends Error {
  override name = 'ParameterError';
}

/** Input bytes are not a WAV this decoder can read; `file` names the source when known. */
export class WavFormatError extends Error {
  override name = 'WavFormatError';
  constructor(message: string, readonly file?: string) {
    super(file ? `${file}: ${message}` : message);
  }
}

/** A data-dependent numerical failure (NaN, singular matrix); the message suggests a fix. */
export class NumericalError extends Error {
  override name = 'NumericalError';
}

/** A dataset folder or split file is missing or inconsistent. */
export class DatasetError extends Error {
  override name = 'DatasetError';
}

/** A saved model (JSON) is corrupt, of another schema version, or inconsistent. */
export class ModelFormatError extends Error {
  override name = 'ModelFormatError';
}
