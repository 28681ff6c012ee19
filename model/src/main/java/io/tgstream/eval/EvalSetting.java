package io.tgstream.eval;

import java.util.Locale;

/** Which positives are scored: every validation/test event (transductive), or only those touching a new node. */
public enum EvalSetting {
    TRANSDUCTIVE(0, 2),
    INDUCTIVE(1, 3);

    private final long validationSamplerSeed;
    private final long testSamplerSeed;

    EvalSetting(long validationSamplerSeed, long testSamplerSeed) {
        this.validationSamplerSeed = validationSamplerSeed;
        this.testSamplerSeed = testSamplerSeed;
    }

    /** DyGLib's negative-sampler seed for this setting's validation pass (0, or 1 for new-node validation). */
    public long validationSamplerSeed() { return validationSamplerSeed; }
    /** DyGLib's negative-sampler seed for this setting's test pass (2, or 3 for new-node test). */
    public long testSamplerSeed() { return testSamplerSeed; }

    public String cliName() { return name().toLowerCase(Locale.ROOT); }

    public static EvalSetting byName(String name) {
        for (EvalSetting s : values()) {
            if (s.cliName().equals(name.trim().toLowerCase(Locale.ROOT))) return s;
        }
        throw new IllegalArgumentException("unknown setting '" + name + "'; use transductive or inductive");
    }
}
