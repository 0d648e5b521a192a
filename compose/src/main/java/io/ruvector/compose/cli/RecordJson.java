package io.ruvector.compose.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ruvector.cdc.converter.PgVectorText;
import io.ruvector.schemas.DeadLetter;
import io.ruvector.schemas.IntegrityEvent;
import io.ruvector.schemas.IntegritySample;
import io.ruvector.schemas.IntegrityState;
import io.ruvector.schemas.SparseVector;
import io.ruvector.schemas.VectorChange;
import io.ruvector.schemas.Watermark;
import org.apache.avro.specific.SpecificRecord;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/** JSON lines of the vectors and dead-letter topics' records, for people and {@code jq}. */
final class RecordJson {

    private final ObjectMapper mapper = new ObjectMapper();

    String of(int partition, long offset, SpecificRecord record) {
        ObjectNode node = mapper.createObjectNode();
        node.put("partition", partition).put("offset", offset);
        switch (record) {
            case VectorChange c -> change(node.put("type", "change"), c);
            case Watermark w -> node.put("type", "watermark").put("lsn", lsn(w.getLsn())).put("source", w.getSource())
                    .put("emitted_at_ms", w.getEmittedAtMillis());
            case DeadLetter d -> node.put("type", "dead_letter").put("collection", d.getCollection()).put("table", d.getTable())
                    .put("id", d.getId()).put("op", d.getOp()).put("reason", d.getReason())
                    .put("lsn", d.getLsn() == null ? null : lsn(d.getLsn())).put("payload", d.getPayload())
                    .put("failed_at_ms", d.getFailedAtMillis());
            case IntegrityEvent e -> avro(node.put("type", "integrity_event"), e)
                    .put("signature", e.getSignature() == null ? null
                            : java.util.Base64.getEncoder().encodeToString(bytes(e.getSignature())));
            case IntegritySample s -> avro(node.put("type", "integrity_sample"), s);
            case IntegrityState s -> avro(node.put("type", "integrity_state"), s);
            default -> node.put("type", record.getSchema().getName()).put("value", record.toString());
        }
        return node.toString();
    }

    private void change(ObjectNode node, VectorChange c) {
        node.put("collection", c.getCollection()).put("id", c.getId()).put("op", c.getOp().name())
                .put("tenant", c.getTenant()).put("lsn", lsn(c.getLsn())).put("tx_id", c.getTxId())
                .put("commit_time_us", c.getCommitTimeMicros()).put("snapshot", c.getSnapshot())
                .put("partition_map_epoch", c.getPartitionMapEpoch());
        if (c.getVector() != null) {
            ArrayNode vector = node.putArray("vector");
            for (float f : PgVectorText.fromLittleEndianBytes(c.getVector())) {
                vector.add(f);
            }
        }
        if (c.getSparse() != null) {
            sparse(node.putObject("sparse"), c.getSparse());
        }
        ObjectNode metadata = node.putObject("metadata");
        for (Map.Entry<String, Object> e : c.getMetadata().entrySet()) {
            metadata.putPOJO(e.getKey(), e.getValue());
        }
    }

    private static void sparse(ObjectNode node, SparseVector s) {
        node.put("dimensions", s.getDimensions());
        ArrayNode indices = node.putArray("indices");
        ByteBuffer ib = s.getIndices().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        while (ib.remaining() >= Integer.BYTES) {
            indices.add(ib.getInt());
        }
        ArrayNode values = node.putArray("values");
        for (float f : PgVectorText.fromLittleEndianBytes(s.getValues())) {
            values.add(f);
        }
    }

    /** Avro's own JSON rendering of the record's fields, merged into {@code node}. */
    private ObjectNode avro(ObjectNode node, SpecificRecord record) {
        try {
            node.setAll((ObjectNode) mapper.readTree(record.toString()));
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            node.put("value", record.toString());
        }
        return node;
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /** PostgreSQL's text form of an LSN, e.g. {@code 0/16B3748}. */
    static String lsn(long lsn) {
        return io.ruvector.schemas.LsnText.format(lsn);
    }
}
