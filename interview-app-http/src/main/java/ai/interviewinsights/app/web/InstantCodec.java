package ai.interviewinsights.app.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import com.fasterxml.jackson.datatype.jsr310.ser.InstantSerializer;
import java.io.IOException;
import java.time.Instant;

/**
 * Instants on the HTTP edge, read and written by {@link IsoInstants} in the common case and by Jackson's own
 * {@code JavaTimeModule} codec in every other.
 *
 * <p>Why (decision 26, amended): every transcript entry crosses the runner's internal API with its {@code spoken_at};
 * the runner wrote it through {@code DateTimeFormatter.ISO_INSTANT}'s general printer and the control plane read it
 * through its general parser (a parse context, a field map, a resolver) - about a sixth of the control plane's
 * samples in a transcript write, nearly as much as the AES-GCM seal of the entries' texts. The plain UTC shape is read and
 * written here by hand; what is accepted, the instant read, the text written and the errors stay Jackson's:
 * {@link IsoInstants#fast} takes only texts whose instant {@code Instant.parse} (and so {@code ISO_INSTANT}) gives
 * the same, and hands everything else - numbers, offsets, blanks, bad input - to {@link InstantDeserializer}; the
 * writer is {@code Instant.toString()} byte for byte, and hands over when timestamps are to be written as numbers or
 * a property asks for a format of its own. {@code InstantCodecTest} holds both against Jackson's.
 */
final class InstantCodec {

    private InstantCodec() {
    }

    /** Registered after {@code JavaTimeModule}, so that its instant codec is the fallback, not the first choice. */
    static SimpleModule module() {
        SimpleModule module = new SimpleModule("InstantCodec");
        module.addDeserializer(Instant.class, new Reader(InstantDeserializer.INSTANT));
        module.addSerializer(Instant.class, new Writer(InstantSerializer.INSTANCE));
        return module;
    }

    private static final class Reader extends StdScalarDeserializer<Instant> implements ContextualDeserializer {

        private final JsonDeserializer<Instant> jackson;

        Reader(JsonDeserializer<Instant> jackson) {
            super(Instant.class);
            this.jackson = jackson;
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.hasToken(JsonToken.VALUE_STRING)) {
                Instant fast = IsoInstants.fast(p.getText());
                if (fast != null) {
                    return fast;
                }
            }
            return jackson.deserialize(p, ctxt);
        }

        @Override
        @SuppressWarnings("unchecked")
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
                throws JsonMappingException {
            JsonDeserializer<?> contextual = jackson instanceof ContextualDeserializer c
                    ? c.createContextual(ctxt, property) : jackson;
            // A property with a format of its own (@JsonFormat) is Jackson's alone.
            return contextual == jackson ? this : contextual;
        }
    }

    private static final class Writer extends StdSerializer<Instant> implements ContextualSerializer {

        private final JsonSerializer<Instant> jackson;

        Writer(JsonSerializer<Instant> jackson) {
            super(Instant.class);
            this.jackson = jackson;
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (provider.isEnabled(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)) {
                jackson.serialize(value, gen, provider);
            } else {
                gen.writeString(IsoInstants.format(value));
            }
        }

        @Override
        public JsonSerializer<?> createContextual(SerializerProvider prov, BeanProperty property)
                throws JsonMappingException {
            JsonSerializer<?> contextual = jackson instanceof ContextualSerializer c
                    ? c.createContextual(prov, property) : jackson;
            return contextual == jackson ? this : contextual;
        }
    }
}
