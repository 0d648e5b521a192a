package io.ruvector.compose.dataset;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads an IDX file of unsigned bytes (the MNIST family's format: magic {@code 0x0000 08 nd},
 * {@code nd} big-endian int dimensions, then the data), gzip-compressed as Debian ships it.
 *
 * @param dims the dimensions, outermost first (e.g. 60000, 28, 28)
 * @param data the values, row-major
 */
record IdxFile(int[] dims, byte[] data) {

    private static final int UNSIGNED_BYTE = 0x08;

    static IdxFile readGzip(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
            int magic = in.readInt();
            if ((magic >>> 16) != 0 || ((magic >>> 8) & 0xff) != UNSIGNED_BYTE) {
                throw new IOException(file + " is not an IDX file of unsigned bytes (magic 0x" + Integer.toHexString(magic) + ")");
            }
            int[] dims = new int[magic & 0xff];
            long size = 1;
            for (int i = 0; i < dims.length; i++) {
                dims[i] = in.readInt();
                size *= dims[i];
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(file + " is too large: " + Arrays.toString(dims));
            }
            byte[] data = new byte[(int) size];
            try {
                in.readFully(data);
            } catch (EOFException e) {
                throw new IOException(file + " is truncated: expected " + size + " values for " + Arrays.toString(dims), e);
            }
            return new IdxFile(dims, data);
        }
    }

    /** Values per item: the product of every dimension but the first. */
    int itemSize() {
        int size = 1;
        for (int i = 1; i < dims.length; i++) {
            size *= dims[i];
        }
        return size;
    }

    /** Item {@code i} as floats 0..255, the way ann-benchmarks' fashion-mnist-784-euclidean stores it. */
    float[] item(int i) {
        int size = itemSize();
        float[] out = new float[size];
        for (int d = 0; d < size; d++) {
            out[d] = data[i * size + d] & 0xff;
        }
        return out;
    }
}
