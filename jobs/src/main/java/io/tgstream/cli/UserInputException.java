package io.tgstream.cli;

/** A mistake in what the user asked for, found while running: printed as one line, exit code 2, no stack trace. */
final class UserInputException extends RuntimeException {
    UserInputException(String message) {
        super(message);
    }
}
