package org.dcsm.pipeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The segmentation methods the command line compares (paper Table 1). */
public enum Method {
    /** Simonyan et al.'s input-gradient saliency (plain backprop to the image) + dense CRF: the paper's baseline. */
    SIMONYAN("simonyan", "Simonyan + CRF"),
    /** DCSM without the CRF: the argmax of the Eq. 7 maps. */
    DCSM_NOCRF("dcsm-nocrf", "DCSM w/o CRF"),
    /** DCSM with the dense CRF. */
    DCSM("dcsm", "DCSM + CRF");

    private final String cliName;
    private final String title;

    Method(String cliName, String title) {
        this.cliName = cliName;
        this.title = title;
    }

    /** The name on the command line. */
    public String cliName() {
        return cliName;
    }

    /** The name in tables. */
    public String title() {
        return title;
    }

    /**
     * The method named {@code name} on the command line.
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static Method parse(String name) {
        for (Method m : values()) {
            if (m.cliName.equals(name.strip().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("Unknown method '" + name + "'; known: "
                + Arrays.stream(values()).map(Method::cliName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
