package io.ruvector.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ConfluentFramingTest {

    @Test
    void shouldWriteMagicZeroAndBigEndianIdWhenEncoding() {
        byte[] framed = ConfluentFraming.encode(0x0A0B0C0D, new byte[] {9, 8});

        assertThat(framed).containsExactly(0, 0x0A, 0x0B, 0x0C, 0x0D, 9, 8);
    }

    @Test
    void shouldWriteSameHeaderToStreamAndArrayWhenIdHasHighBitBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConfluentFraming.writeHeader(out, 0x7FFFFF80);
        byte[] array = new byte[5];
        ConfluentFraming.writeHeader(array, 0x7FFFFF80);

        assertThat(out.toByteArray()).containsExactly(0, 0x7F, 0xFF, 0xFF, 0x80).isEqualTo(array);
    }

    @Test
    void shouldDecodeIdAndPayloadBoundsWhenFramed() {
        ConfluentFraming.Frame frame = ConfluentFraming.decode("t", new byte[] {0, 0, 0, 1, 0x2C, 42, 43, 44});

        assertThat(frame).isEqualTo(new ConfluentFraming.Frame(300, 5, 3));
        assertThat(ConfluentFraming.payload("t", new byte[] {0, 0, 0, 0, 1, 42})).containsExactly(42);
    }

    @Test
    void shouldNameMagicByteAndTopicWhenMagicIsWrong() {
        assertThatThrownBy(() -> ConfluentFraming.decode("ruvector.vectors", new byte[] {'{', 0, 0, 0, 1, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("topic 'ruvector.vectors'")
                .hasMessageContaining("unknown magic byte 0x7b (expected 0x00)");
    }

    @Test
    void shouldNameLengthWhenBufferShorterThanHeader() {
        assertThatThrownBy(() -> ConfluentFraming.decode("t", new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("record of 3 bytes is too short");
    }
}
