package io.ruvector.integrity.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ruvector.schemas.IntegrityEvent;
import io.ruvector.schemas.IntegrityEventType;
import io.ruvector.schemas.IntegrityLevel;
import io.ruvector.schemas.OperationalEdgeType;
import io.ruvector.schemas.WitnessEdge;
import io.ruvector.schemas.registry.SchemaRegistries;
import io.ruvector.schemas.serde.AvroSerde;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventSigningTest {

    private final SigningKeys keys = SigningKeys.generate();
    private final EventSigner signer = new EventSigner(keys);
    private final EventVerifier verifier = new EventVerifier(keys.publicKey());

    static IntegrityEvent event() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("nodes", "93");
        metadata.put("edges", "872");
        metadata.put("blockedOperations", "index_rebuild,compaction");
        return IntegrityEvent.newBuilder()
                .setEventId("c:STATE_CHANGE:1000").setCollection("c").setTenant(null)
                .setEventType(IntegrityEventType.STATE_CHANGE)
                .setPreviousState(IntegrityLevel.NORMAL).setNewState(IntegrityLevel.STRESS)
                .setLambdaCut(0.77).setLambda(0.77).setLambda2(0.5)
                .setWitnessEdges(List.of(new WitnessEdge("partition", "5", "partition", "6",
                        OperationalEdgeType.PARTITION_LINK, 0.01, 0.01)))
                .setMetadata(metadata).setCreatedAtMillis(1000).setExpiresAtMillis(601_000)
                .build();
    }

    @Test
    void shouldVerifyWhenEventIsSignedAndUnchanged() {
        IntegrityEvent signed = signer.sign(event());

        assertThat(signed.getSignerId()).isEqualTo(keys.signerId()).startsWith("ed25519:");
        assertThat(signed.getSignature().remaining()).isEqualTo(64);
        assertThat(verifier.verify(signed)).isEqualTo(new Verification.Valid(keys.signerId()));
    }

    @Test
    void shouldFailWhenAnyByteOfTheSignedBytesIsFlipped() {
        IntegrityEvent signed = signer.sign(event());
        byte[] canonical = CanonicalBytes.of(signed);
        byte[] signature = bytes(signed.getSignature());
        assertThat(verifier.verifyBytes(canonical, signature)).isTrue();

        for (int i = 0; i < canonical.length; i++) {
            byte[] flipped = canonical.clone();
            flipped[i] ^= 0x01;
            assertThat(verifier.verifyBytes(flipped, signature)).as("byte %d flipped", i).isFalse();
        }
        byte[] badSignature = signature.clone();
        badSignature[10] ^= 0x40;
        assertThat(verifier.verifyBytes(canonical, badSignature)).isFalse();
    }

    @Test
    void shouldReportBadSignatureWhenAFieldChangesAfterSigning() {
        IntegrityEvent signed = signer.sign(event());
        signed.setLambda(0.95);

        assertThat(verifier.verify(signed)).isEqualTo(new Verification.BadSignature(keys.signerId()));
    }

    @Test
    void shouldReportUnsignedAndUnknownSignerWhenTheyApply() {
        assertThat(verifier.verify(event())).isInstanceOf(Verification.Unsigned.class);

        IntegrityEvent byStranger = new EventSigner(SigningKeys.generate()).sign(event());

        assertThat(verifier.verify(byStranger)).isInstanceOf(Verification.UnknownSigner.class);
        assertThat(verifier.verify(byStranger).isValid()).isFalse();
    }

    @Test
    void shouldStillVerifyWhenTheEventMadeARoundTripThroughTheSerde() {
        AvroSerde<IntegrityEvent> serde = AvroSerde.forValues(SchemaRegistries.inMemory(), IntegrityEvent.class);
        IntegrityEvent signed = signer.sign(event());

        IntegrityEvent received = serde.deserialize("t", serde.serialize("t", signed));

        assertThat(verifier.verify(received).isValid()).isTrue();
    }

    @Test
    void shouldKeepOneKeyAcrossRestartsWhenLoadedFromTheSameDirectory(@TempDir Path dir) throws Exception {
        SigningKeys first = SigningKeys.loadOrCreate(dir.resolve("keys"));
        SigningKeys second = SigningKeys.loadOrCreate(dir.resolve("keys"));

        assertThat(second.signerId()).isEqualTo(first.signerId());
        assertThat(second.publicKeyBase64()).isEqualTo(first.publicKeyBase64());
        IntegrityEvent signedBySecond = new EventSigner(second).sign(event());
        assertThat(new EventVerifier(SigningKeys.publicKeyFromBase64(first.publicKeyBase64())).verify(signedBySecond)
                .isValid()).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("keys").resolve(SigningKeys.PUBLIC_FILE)))
                .isEqualTo(first.publicKeyDer());
    }

    @Test
    void shouldRefuseAPublicKeyFileThatBelongsToAnotherKey(@TempDir Path dir) throws Exception {
        SigningKeys.loadOrCreate(dir);
        Files.write(dir.resolve(SigningKeys.PUBLIC_FILE), SigningKeys.generate().publicKeyDer());

        assertThatThrownBy(() -> SigningKeys.loadOrCreate(dir)).hasMessageContaining("does not belong");
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
