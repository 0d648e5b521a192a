package io.ruvector.index.query;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The merge of per-partition top-k lists that keeps the consistency contract while buckets move
 * between partitions (docs/topics.md, Bucket hand-off). Outside a hand-off no partition marks a
 * hit and this is {@link KnnMerger#merge}. During one, an id may have a state in two partitions;
 * each hit in a moving bucket carries a {@link TransitMark}, the merge asks the peer partitions for
 * their versions of those ids, and keeps a hit only when no peer holds a newer state (a newer row,
 * or a delete); two copies of the same version are one row, kept once. So a search returns each id
 * at most once, never a version older than the newest applied, never a row whose delete was
 * applied. The search and the version lookup are two reads: a copy that reaches the peer between
 * them is the same version (kept from the first partition), and a newer state that reaches it
 * between them makes the search run again, so the newer version is not lost from the answer.
 *
 * <p>Dropping hits may leave a partition's list short of what it could contribute: when a
 * partition that returned a full list lost hits and its last hit could still rank, the search runs
 * again with twice the {@code k} (at most {@value #MAX_ROUNDS} rounds).
 */
public final class TransitMerge {

    /** Rounds of a search at most (k, 2k, 4k, 8k per partition). */
    public static final int MAX_ROUNDS = 4;

    private TransitMerge() {
    }

    /** One scatter/gather of {@code request} over every partition. */
    @FunctionalInterface
    public interface Gather {
        Map<Integer, KnnResult> gather(KnnRequest request) throws InterruptedException;
    }

    /** Every partition's state of {@code ids}, by partition. */
    @FunctionalInterface
    public interface VersionLookup {
        Map<Integer, Map<String, RowVersion>> versions(Set<String> ids) throws InterruptedException;
    }

    /** The global top-k of {@code request}, settled against hand-offs in progress. */
    public static KnnResult search(KnnRequest request, Gather gather, VersionLookup lookup) throws InterruptedException {
        Objects.requireNonNull(request, "request");
        KnnRequest asked = request;
        for (int round = 1; ; round++) {
            Settled settled = settle(gather.gather(asked), request.k(), asked.k(), lookup);
            if (!settled.short_() || round == MAX_ROUNDS || asked.k() >= KnnRequest.MAX_K) {
                return settled.result();
            }
            asked = asked.withK(Math.min(KnnRequest.MAX_K, asked.k() * 2));
        }
    }

    /**
     * The merged top-{@code k} of {@code partials} (each asked for {@code asked} hits), with
     * whether some partition may have more that would rank.
     */
    static Settled settle(Map<Integer, KnnResult> partials, int k, int asked, VersionLookup lookup)
            throws InterruptedException {
        Set<String> marked = new TreeSet<>();
        for (KnnResult partial : partials.values()) {
            marked.addAll(partial.transit().keySet());
        }
        if (marked.isEmpty()) {
            return new Settled(KnnMerger.merge(partials.values(), k), false);
        }
        Map<Integer, Map<String, RowVersion>> versions = lookup.versions(marked);
        List<KnnHit> kept = new ArrayList<>();
        Set<Integer> trimmed = new HashSet<>();
        boolean overtaken = false;
        Set<SearchStrategy> strategies = EnumSet.noneOf(SearchStrategy.class);
        for (Map.Entry<Integer, KnnResult> entry : partials.entrySet()) {
            KnnResult partial = entry.getValue();
            strategies.addAll(partial.strategies());
            for (KnnHit hit : partial.hits()) {
                TransitMark mark = partial.transit().get(hit.id());
                RowVersion theirs = mark == null ? null : versions.getOrDefault(mark.peer(), Map.of()).get(hit.id());
                if (theirs != null && theirs.supersedes(mark.version())) {
                    trimmed.add(entry.getKey());
                    // The peer's newer state came after its answer (the search and the lookup are two
                    // reads): its own hit for the id may be missing, so the search runs again.
                    KnnResult peer = partials.get(mark.peer());
                    overtaken |= !theirs.deleted() && (peer == null || !peer.ids().contains(hit.id()));
                } else {
                    kept.add(hit); // an equal version at the peer is the same row: the de-duplication below keeps one
                }
            }
        }
        kept.sort(null);
        List<KnnHit> top = new ArrayList<>(Math.min(k, kept.size()));
        Set<String> seen = new HashSet<>();
        for (KnnHit hit : kept) { // a second copy of one version (both sides unsettled) counts once
            if (top.size() == k) {
                break;
            }
            if (seen.add(hit.id())) {
                top.add(hit);
            }
        }
        boolean short_ = overtaken;
        for (int p : trimmed) {
            List<KnnHit> hits = partials.get(p).hits();
            if (hits.size() >= asked && (top.size() < k || hits.getLast().compareTo(top.get(k - 1)) <= 0)) {
                short_ = true;
            }
        }
        return new Settled(new KnnResult(top, -1L, strategies), short_);
    }

    /** The newest state of an id among partitions' answers, or null when none holds it. */
    public static RowVersion newest(Collection<Map<String, RowVersion>> answers, String id) {
        RowVersion best = null;
        for (Map<String, RowVersion> answer : answers) {
            RowVersion v = answer.get(id);
            if (v != null && (best == null || v.supersedes(best))) {
                best = v;
            }
        }
        return best;
    }

    record Settled(KnnResult result, boolean short_) {
    }
}
