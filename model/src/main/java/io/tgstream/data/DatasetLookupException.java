package io.tgstream.data;

/** A user-facing error: a data set name that tgstream does not know, or a named data set whose file is not there. */
public final class DatasetLookupException extends RuntimeException {
    public DatasetLookupException(String message) {
        super(message);
    }
}
