package io.ruvector.index.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A condition on a row's metadata columns: equality, membership in a list, a numeric range, or
 * several of them combined with AND. Validated and normalised on construction (see
 * {@link FilterValues}), so a bad filter fails once, at the caller, with a message naming the
 * column. SQL semantics: a row whose column is missing or null matches no condition on it.
 *
 * <p>The set is closed so that the store can reason about a filter (selectivity, strategy) with
 * exhaustive switches. {@link #all()} matches every row.
 */
public sealed interface MetadataFilter
        permits MetadataFilter.Eq, MetadataFilter.In, MetadataFilter.Range, MetadataFilter.And {

    /** Whether a row with {@code metadata} passes. */
    boolean test(Map<String, Object> metadata);

    /** True for the filter that matches every row (an empty AND). */
    default boolean matchesAll() {
        return false;
    }

    /** Matches every row. */
    static MetadataFilter all() {
        return And.ALL;
    }

    /** {@code key = value}. */
    static MetadataFilter eq(String key, Object value) {
        return new Eq(key, value);
    }

    /** {@code key IN (values...)}. */
    static MetadataFilter in(String key, Collection<?> values) {
        return new In(key, values == null ? null : new ArrayList<>(values));
    }

    /**
     * A numeric range from the four optional bounds of a JSON range object ({@code gt},
     * {@code gte}, {@code lt}, {@code lte}; null = absent). At most one lower and one upper bound.
     */
    static MetadataFilter range(String key, Object gt, Object gte, Object lt, Object lte) {
        if (gt != null && gte != null) {
            throw new IllegalArgumentException("range on '" + key + "' has both 'gt' and 'gte'; give one lower bound");
        }
        if (lt != null && lte != null) {
            throw new IllegalArgumentException("range on '" + key + "' has both 'lt' and 'lte'; give one upper bound");
        }
        Number lower = gt != null ? FilterValues.bound(key, "gt", gt) : gte != null ? FilterValues.bound(key, "gte", gte) : null;
        Number upper = lt != null ? FilterValues.bound(key, "lt", lt) : lte != null ? FilterValues.bound(key, "lte", lte) : null;
        return new Range(key, lower, gte != null, upper, lte != null);
    }

    /** Every filter must pass; nested ANDs are flattened and {@link #all()} parts dropped. */
    static MetadataFilter and(List<MetadataFilter> filters) {
        Objects.requireNonNull(filters, "filters");
        List<MetadataFilter> parts = new ArrayList<>();
        for (MetadataFilter filter : filters) {
            switch (Objects.requireNonNull(filter, "filter")) {
                case And(List<MetadataFilter> nested) -> parts.addAll(nested);
                default -> parts.add(filter);
            }
        }
        return parts.size() == 1 ? parts.getFirst() : new And(parts);
    }

    /** {@link #and(List)} of the given filters. */
    static MetadataFilter and(MetadataFilter... filters) {
        return and(List.of(filters));
    }

    /** One {@link Eq} per entry, ANDed: the classic equality filter. */
    static MetadataFilter equalsAll(Map<String, ?> conditions) {
        if (conditions == null || conditions.isEmpty()) {
            return all();
        }
        List<MetadataFilter> parts = new ArrayList<>(conditions.size());
        conditions.forEach((key, value) -> parts.add(new Eq(key, value)));
        return and(parts);
    }

    private static String checkKey(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("filter column name must not be blank");
        }
        return key;
    }

    /** {@code key = value}; numbers compare by value (2024 matches 2024.0). */
    record Eq(String key, Object value) implements MetadataFilter {
        public Eq {
            checkKey(key);
            value = FilterValues.normalise(key, value);
        }

        @Override
        public boolean test(Map<String, Object> metadata) {
            Object actual = metadata.get(key);
            return actual != null && FilterValues.equal(actual, value);
        }
    }

    /** {@code key IN (values)}: a non-empty list without nulls. */
    record In(String key, List<Object> values) implements MetadataFilter {
        public In {
            checkKey(key);
            if (values == null || values.isEmpty()) {
                throw new IllegalArgumentException("'in' list for '" + key + "' is empty; it would match nothing");
            }
            List<Object> normalised = new ArrayList<>(values.size());
            for (Object value : values) {
                normalised.add(FilterValues.normalise(key, value));
            }
            values = List.copyOf(normalised);
        }

        @Override
        public boolean test(Map<String, Object> metadata) {
            Object actual = metadata.get(key);
            if (actual == null) {
                return false;
            }
            for (Object value : values) { // lists are short; a hash set would not pay for its boxing
                if (FilterValues.equal(actual, value)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * A numeric range; a null bound is open. Rows whose value is not a number never match; a NaN
     * value sorts above every number, as in PostgreSQL.
     */
    record Range(String key, Number lower, boolean lowerInclusive, Number upper, boolean upperInclusive)
            implements MetadataFilter {
        public Range {
            checkKey(key);
            if (lower == null && upper == null) {
                throw new IllegalArgumentException("range on '" + key + "' has no bound; give gt, gte, lt or lte");
            }
            lower = lower == null ? null : FilterValues.bound(key, lowerInclusive ? "gte" : "gt", lower);
            upper = upper == null ? null : FilterValues.bound(key, upperInclusive ? "lte" : "lt", upper);
            if (lower != null && upper != null && FilterValues.compare(lower, upper) > 0) {
                throw new IllegalArgumentException("range on '" + key + "' has lower bound " + lower
                        + " above upper bound " + upper);
            }
        }

        @Override
        public boolean test(Map<String, Object> metadata) {
            if (!(metadata.get(key) instanceof Number actual)) {
                return false;
            }
            if (lower != null) {
                int c = FilterValues.compare(actual, lower);
                if (c < 0 || (c == 0 && !lowerInclusive)) {
                    return false;
                }
            }
            if (upper != null) {
                int c = FilterValues.compare(actual, upper);
                return c < 0 || (c == 0 && upperInclusive);
            }
            return true;
        }
    }

    /** Every part must pass; no parts matches every row. */
    record And(List<MetadataFilter> filters) implements MetadataFilter {
        static final And ALL = new And(List.of());

        public And {
            filters = List.copyOf(filters);
        }

        @Override
        public boolean test(Map<String, Object> metadata) {
            for (MetadataFilter filter : filters) {
                if (!filter.test(metadata)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean matchesAll() {
            return filters.isEmpty();
        }
    }
}
