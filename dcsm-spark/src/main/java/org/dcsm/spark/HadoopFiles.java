package org.dcsm.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.dcsm.core.UntrustedText;

/**
 * Files on any Hadoop file system (file, hdfs, s3a, ...), as the executors read and write them: reads bounded
 * by a size checked before a byte is read, and writes that become visible in one rename, so that a task killed
 * mid-write (a retry, a speculative copy that lost) never leaves a half-written output under its final name.
 */
final class HadoopFiles {

    /** The prefix of in-progress files: hidden from Spark's and Hadoop's listings (they skip "_" and "."). */
    static final String TEMP_PREFIX = "._dcsm-tmp-";

    private HadoopFiles() {
    }

    /** A Hadoop {@link Configuration} that can travel inside a task (it is {@code Writable}, not serializable). */
    static final class Conf implements Serializable {
        private static final long serialVersionUID = 1L;
        private transient Configuration conf;

        Conf(Configuration conf) {
            this.conf = new Configuration(conf);
        }

        Configuration get() {
            return conf;
        }

        private void writeObject(ObjectOutputStream out) throws IOException {
            out.defaultWriteObject();
            conf.write(out);
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            conf = new Configuration(false);
            conf.readFields(in);
        }
    }

    /**
     * The bytes of {@code uri}, whose length is checked against {@code maxBytes} before it is read.
     *
     * @throws IOException naming the URI when it is missing, not a file, or larger than {@code maxBytes}
     */
    static byte[] read(Configuration conf, String uri, long maxBytes) throws IOException {
        Path path = new Path(uri);
        FileSystem fs = path.getFileSystem(conf);
        FileStatus status = fs.getFileStatus(path); // FileNotFoundException names the path
        if (!status.isFile()) {
            throw new IOException(UntrustedText.printable(uri) + " is not a file");
        }
        if (status.getLen() > maxBytes) {
            throw new IOException(UntrustedText.printable(uri) + " is " + status.getLen()
                    + " bytes, more than the limit of " + maxBytes + " (SegmentSettings.maxFileBytes)");
        }
        int expected = (int) status.getLen();
        try (InputStream in = fs.open(path)) {
            byte[] data = in.readNBytes(expected);
            if (data.length != expected || in.read() >= 0) {
                throw new IOException(UntrustedText.printable(uri) + " changed size while it was read (listed "
                        + expected + " bytes)");
            }
            return data;
        }
    }

    /** Writes one file's content to a stream. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} from a hidden temporary sibling that is then renamed onto it: a reader sees no file or the
     * whole file. When the target already exists (an earlier attempt of the same, deterministic task wrote it), it is
     * replaced. The temporary file is deleted when anything fails.
     */
    static void writeAtomically(Configuration conf, Path target, Content content) throws IOException {
        FileSystem fs = raw(target.getFileSystem(conf));
        Path tmp = new Path(target.getParent(), TEMP_PREFIX + UUID.randomUUID() + "-" + target.getName());
        boolean done = false;
        try {
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                content.writeTo(out);
            }
            if (!fs.rename(tmp, target)) {
                // HDFS (unlike a POSIX rename) does not replace an existing target: replace it in two steps; a
                // reader may then briefly see no file, never a partial one
                fs.delete(target, false);
                if (!fs.rename(tmp, target)) {
                    throw new IOException("could not rename " + tmp + " to " + target);
                }
            }
            done = true;
        } finally {
            if (!done) {
                fs.delete(tmp, false);
            }
        }
    }

    /** {@link #writeAtomically} of bytes. */
    static void writeAtomically(Configuration conf, Path target, byte[] data) throws IOException {
        writeAtomically(conf, target, out -> out.write(data));
    }

    /** Deletes the temporary files a killed task left directly in {@code dir}; returns how many. */
    static int deleteTemporaries(Configuration conf, Path dir) throws IOException {
        FileSystem fs = raw(dir.getFileSystem(conf));
        if (!fs.exists(dir)) {
            return 0;
        }
        int n = 0;
        for (FileStatus s : fs.listStatus(dir, p -> p.getName().startsWith(TEMP_PREFIX))) {
            if (fs.delete(s.getPath(), false)) {
                n++;
            }
        }
        return n;
    }

    /**
     * The file system without Hadoop's client-side checksums: on {@code file:} URIs {@link ChecksumFileSystem} would
     * put a {@code .<name>.crc} beside every PNG; HDFS and object stores keep their own checksums.
     */
    static FileSystem raw(FileSystem fs) {
        return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
    }

    /** PNG bytes of an image. */
    static byte[] png(java.awt.image.BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!javax.imageio.ImageIO.write(image, "png", bytes)) {
            throw new IOException("no PNG writer for image type " + image.getType());
        }
        return bytes.toByteArray();
    }
}
