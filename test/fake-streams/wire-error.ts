/** An error the fake answers with, in the JSON 1.0 protocol's shape. */
export class WireError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }

  body(): string {
    return JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${this.type}`, message: this.message });
  }
}

export const notFound = (message: string): WireError => new WireError('ResourceNotFoundException', message);
export const invalid = (message: string): WireError => new WireError('ValidationException', message);
