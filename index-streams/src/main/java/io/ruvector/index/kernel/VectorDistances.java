package io.ruvector.index.kernel;

import io.ruvector.schemas.Metric;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point to the kernels: picks one {@link VectorDistance} per JVM, once, on first use.
 *
 * <p>Default: the Panama kernels when {@code jdk.incubator.vector} is resolvable and the preferred
 * species has more than one lane, else the scalar kernels with one WARN line saying why. The
 * system property {@value #KERNEL_PROPERTY} forces a choice: {@code scalar} or {@code panama}
 * ({@code panama} still falls back, with the same WARN line, if the module is missing). Any other
 * value fails fast. The choice is final for the life of the JVM (lazy holder idiom: no locking
 * on the hot path, no re-reading the property).
 */
public final class VectorDistances {

    /** System property forcing the kernel: {@code scalar} or {@code panama}. */
    public static final String KERNEL_PROPERTY = "ruvector.kernel";

    private static final Logger LOG = LoggerFactory.getLogger(VectorDistances.class);
    private static final String PANAMA_CLASS = "io.ruvector.index.kernel.PanamaVectorDistance";

    private VectorDistances() {
    }

    /** The JVM-wide kernels, chosen on first call. Stateless and thread-safe. */
    public static VectorDistance get() {
        return Holder.KERNEL;
    }

    /** pgvector's distance for {@code metric} on the JVM-wide kernels. */
    public static DistanceFunction forMetric(Metric metric) {
        return DistanceFunction.of(metric, get());
    }

    /** The plain-Java kernels, whatever {@link #get()} chose: the reference for tests and fallback. */
    public static VectorDistance scalar() {
        return ScalarVectorDistance.INSTANCE;
    }

    /** Chooses kernels for a property value ({@code null} = not set). Package-private for tests. */
    static VectorDistance select(String requested) {
        String choice = requested == null ? "" : requested.trim().toLowerCase(Locale.ROOT);
        switch (choice) {
            case "scalar":
                return ScalarVectorDistance.INSTANCE;
            case "", "panama":
                return loadPanamaOrFallBack(choice.isEmpty() ? "default" : "forced by -D" + KERNEL_PROPERTY);
            default:
                throw new IllegalArgumentException("System property " + KERNEL_PROPERTY + "='" + requested
                        + "' is not a kernel; use 'scalar' or 'panama' (or leave it unset)");
        }
    }

    private static VectorDistance loadPanamaOrFallBack(String why) {
        try {
            // Reflective load: a direct reference would make this class fail to link without
            // --add-modules jdk.incubator.vector, instead of falling back.
            Class<?> type = Class.forName(PANAMA_CLASS);
            int lanes = (int) type.getDeclaredMethod("lanes").invoke(null);
            if (lanes < 2) {
                LOG.warn("Vector API preferred species has {} lane(s); using scalar distance kernels", lanes);
                return ScalarVectorDistance.INSTANCE;
            }
            VectorDistance panama = (VectorDistance) type.getDeclaredConstructor().newInstance();
            LOG.debug("Using {} distance kernels ({})", panama, why);
            return panama;
        } catch (ReflectiveOperationException | LinkageError e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            LOG.warn("Vector API unavailable ({}: {}), add --add-modules jdk.incubator.vector; "
                    + "using scalar distance kernels", cause.getClass().getSimpleName(), cause.getMessage());
            return ScalarVectorDistance.INSTANCE;
        }
    }

    /** Lazy holder: the JVM runs {@link #select} once, on the first {@link #get()}, thread-safely. */
    private static final class Holder {
        static final VectorDistance KERNEL =
                Objects.requireNonNull(select(System.getProperty(KERNEL_PROPERTY)), "kernel");
    }
}
