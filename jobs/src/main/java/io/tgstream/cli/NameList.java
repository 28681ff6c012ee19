package io.tgstream.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A list option of names (e.g. {@code --negatives rnd,hist}) turned into values, each once, in the order given. */
final class NameList {
    private NameList() {}

    /** The values of {@code names}; an unknown name is a usage error with the lookup's message. */
    static <T> List<T> parse(List<String> names, Function<String, T> byName) {
        List<T> out = new ArrayList<>();
        for (String n : names) {
            try {
                T t = byName.apply(n);
                if (!out.contains(t)) out.add(t);
            } catch (IllegalArgumentException e) {
                throw new UserInputException(e.getMessage());
            }
        }
        return out;
    }
}
