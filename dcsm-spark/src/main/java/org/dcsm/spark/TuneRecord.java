package org.dcsm.spark;

import java.io.Serial;
import java.io.Serializable;

import org.dcsm.pipeline.CrfTuning;

/**
 * What {@link DcsmSpark#tuneCrf}'s first stage makes of one image: its {@link CrfTuning.Sample} (plain arrays), or,
 * when it could not be used, its id and error. Immutable.
 *
 * @param sample the sample, or null when the image failed
 * @param failed the id of the image that failed, or null when it gave a sample
 * @param error  why it failed, or null
 */
record TuneRecord(CrfTuning.Sample sample, String failed, String error) implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    TuneRecord {
        if ((sample == null) == (failed == null)) {
            throw new IllegalArgumentException("A tuning record holds a sample or a failure, exactly one");
        }
    }

    boolean ok() {
        return sample != null;
    }
}
