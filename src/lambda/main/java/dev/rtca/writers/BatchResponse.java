package dev.rtca.writers;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.rtca.model.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The partial-batch response of Kinesis and SQS event sources ({@code ReportBatchItemFailures}):
 * {@code {"batchItemFailures":[{"itemIdentifier":"..."}]}}. A null identifier (a record that carried none) is
 * written as null, which Lambda takes as a failure of the whole batch: it is retried, bisected, then sent on.
 */
final class BatchResponse {
    private BatchResponse() {
    }

    static void write(OutputStream out, List<String> failed) throws IOException {
        try (JsonGenerator json = Json.FACTORY.createGenerator(out)) {
            json.writeStartObject();
            json.writeArrayFieldStart("batchItemFailures");
            for (String id : failed) {
                json.writeStartObject();
                json.writeStringField("itemIdentifier", id);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }
}
