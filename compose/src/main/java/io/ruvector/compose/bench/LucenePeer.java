package io.ruvector.compose.bench;

import io.ruvector.compose.dataset.VectorDataset;
import io.ruvector.compose.runtime.RuntimeLifecycle;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Peer of {@code bench search}: Lucene's HNSW ({@code Lucene99HnswVectorsFormat}, same M and
 * construction beam as ours), in-process, one segment (force-merged), memory-mapped from the
 * bench's work directory. {@code ef_search} is the query's candidate count
 * ({@code KnnFloatVectorQuery}'s k), the answer its top k, as Lucene users do.
 */
final class LucenePeer implements AutoCloseable {

    private static final String FIELD = "embedding";

    private final Path dir;
    private final Directory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final String[] ids;

    private LucenePeer(Path dir, Directory directory) throws IOException {
        this.dir = dir;
        this.directory = directory;
        this.reader = DirectoryReader.open(directory);
        // No executor: one thread per query, as the other engines' clients; one segment anyway.
        this.searcher = new IndexSearcher(reader);
        this.ids = new String[reader.maxDoc()];
        StoredFields stored = reader.storedFields();
        for (int doc = 0; doc < ids.length; doc++) {
            ids[doc] = stored.document(doc).get("id");
        }
    }

    /** Indexes every row of {@code data} (ids 1..n) into {@code dir} (wiped) and merges to one segment. */
    static LucenePeer build(VectorDataset data, Path dir, int m, int efConstruction) throws IOException {
        RuntimeLifecycle.deleteRecursively(dir);
        Directory directory = FSDirectory.open(dir);
        IndexWriterConfig config = new IndexWriterConfig()
                .setCodec(new Lucene103Codec() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return new Lucene99HnswVectorsFormat(m, efConstruction);
                    }
                })
                .setRAMBufferSizeMB(1024);
        try (IndexWriter writer = new IndexWriter(directory, config)) {
            for (int i = 0; i < data.size(); i++) {
                Document doc = new Document();
                doc.add(new KnnFloatVectorField(FIELD, data.vectors()[i], VectorSimilarityFunction.EUCLIDEAN));
                doc.add(new StoredField("id", Long.toString(i + 1L)));
                writer.addDocument(doc);
            }
            writer.forceMerge(1);
        }
        return new LucenePeer(dir, directory);
    }

    Searcher searcher() {
        return (query, k, efSearch) -> {
            TopDocs top = searcher.search(new KnnFloatVectorQuery(FIELD, query, Math.max(k, efSearch)), k);
            List<String> hits = new ArrayList<>(k);
            for (ScoreDoc doc : top.scoreDocs) {
                hits.add(ids[doc.doc]);
            }
            return hits;
        };
    }

    /** Bytes of the index files (vectors, graph, stored ids). */
    long indexBytes() throws IOException {
        long bytes = 0;
        for (String file : directory.listAll()) {
            bytes += directory.fileLength(file);
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        reader.close();
        directory.close();
        RuntimeLifecycle.deleteRecursively(dir);
    }
}
