package io.ruvector.compose.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Admits a fraction {@code x} of a scope's searches, deterministically: the n-th request is
 * admitted when {@code floor(n·x)} moves, so 0.8 admits four of every five. Thread-safe.
 */
final class SearchAdmission {

    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    boolean admit(String scope, double fraction) {
        if (fraction >= 1.0) {
            return true;
        }
        long n = counters.computeIfAbsent(scope, s -> new AtomicLong()).incrementAndGet();
        return Math.floor(n * fraction) > Math.floor((n - 1) * fraction);
    }
}
