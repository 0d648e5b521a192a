package io.ruvector.compose.it;

import io.ruvector.compose.runtime.EmbeddedRuntime;
import io.ruvector.index.query.RowVersion;
import io.ruvector.index.query.RowVersionsQuery;
import io.ruvector.index.query.TransitMerge;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The index's newest live state of many ids at once (one query per partition, not one per id). */
final class IndexRows {

    private IndexRows() {
    }

    /** id → vector text ({@link Floats#text}) of the live rows among {@code ids}; deleted or missing ids are absent. */
    static Map<String, String> of(EmbeddedRuntime runtime, String collection, Set<String> ids) {
        Map<Integer, Map<String, RowVersion>> answers = runtime.index().queryLocal(new RowVersionsQuery(collection, ids, true));
        Map<String, String> rows = new TreeMap<>();
        for (String id : ids) {
            RowVersion newest = TransitMerge.newest(answers.values(), id);
            if (newest != null && !newest.deleted()) {
                rows.put(id, Floats.text(newest.row().vector()));
            }
        }
        return rows;
    }
}
