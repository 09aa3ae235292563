package org.dcsm.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.dcsm.core.voc.VocDataset;
import org.dcsm.core.voc.VocLayout;
import org.dcsm.core.voc.VocSample;

/**
 * One image of a Spark job: its id (the output's name), the URI of the image on any Hadoop file system, and, for
 * evaluation, the URI of its ground-truth mask (a VOC palette PNG), else null. Ids are safe file-name stems
 * ({@link VocLayout#requireSafeName}), checked here on the driver.
 */
public record ImageRef(String id, String imageUri, String maskUri) implements Serializable {

    /**
     * @throws IllegalArgumentException naming an unsafe id
     */
    public ImageRef {
        VocLayout.requireSafeName(id, "image id");
        Objects.requireNonNull(imageUri, "imageUri");
    }

    /**
     * Images by URI, each named by its file name without the extension ({@code hdfs://n/a/dog.jpg} is {@code dog}).
     *
     * @throws IllegalArgumentException when two URIs give the same id (naming both) or an id is unsafe
     */
    public static List<ImageRef> ofUris(List<String> uris) {
        Map<String, String> seen = new HashMap<>();
        List<ImageRef> out = new ArrayList<>(uris.size());
        for (String uri : uris) {
            String name = new org.apache.hadoop.fs.Path(uri).getName();
            int dot = name.lastIndexOf('.');
            String id = dot > 0 ? name.substring(0, dot) : name;
            String before = seen.putIfAbsent(id, uri);
            if (before != null) {
                throw new IllegalArgumentException("Images " + before + " and " + uri + " would both be written as '"
                        + id + "': give them different file names");
            }
            out.add(new ImageRef(id, uri, null));
        }
        return out;
    }

    /**
     * The samples of a split of a VOC-layout folder (read by {@link VocDataset} on the driver, so the folder must be
     * a path the driver sees, e.g. a shared mount): image {@code JPEGImages/<id>.jpg}, mask
     * {@code SegmentationClass/<id>.png}, as {@code file:} URIs.
     */
    public static List<ImageRef> voc(VocDataset voc, String split) throws IOException {
        List<ImageRef> out = new ArrayList<>();
        for (VocSample s : voc.samples(split)) {
            out.add(new ImageRef(s.id(), uri(s.imagePath()), uri(s.maskPath())));
        }
        return out;
    }

    private static String uri(Path p) {
        return p.toAbsolutePath().normalize().toUri().toString();
    }
}
