package io.ruvector.compose.it;

import io.ruvector.cdc.converter.PgVectorText;
import io.ruvector.schemas.VectorChange;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replays a collection's changes as the index applies them (a streamed change supersedes a
 * snapshot read; otherwise the higher LSN wins; DELETE removes; METADATA keeps the vector) and
 * compares the result with the table.
 */
final class TableState {

    private TableState() {
    }

    /** id → vector text ({@code Float.toString} components) after applying every change. */
    static Map<String, String> replay(List<VectorChange> changes) {
        List<VectorChange> ordered = changes.stream()
                .sorted(Comparator.comparing((VectorChange c) -> !c.getSnapshot()).thenComparingLong(VectorChange::getLsn))
                .toList();
        Map<String, String> state = new HashMap<>();
        for (VectorChange c : ordered) {
            switch (c.getOp()) {
                case UPSERT -> state.put(c.getId(), text(PgVectorText.fromLittleEndianBytes(c.getVector())));
                case DELETE -> state.remove(c.getId());
                case METADATA -> { }
            }
        }
        return new TreeMap<>(state);
    }

    /** id → vector text of the table now. */
    static Map<String, String> table(String table) throws Exception {
        Map<String, String> state = new TreeMap<>();
        for (List<Object> row : TestPostgres.query("SELECT id::text, embedding::text FROM " + table)) {
            state.put(row.get(0).toString(), text(PgVectorText.parseDense(row.get(1).toString())));
        }
        return state;
    }

    private static String text(float[] v) {
        return Floats.text(v);
    }

}
