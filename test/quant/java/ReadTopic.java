// A quant's reader of a Tickstream topic, written as a Java team would: the Apache Kafka client
// logs in as the `quant` user, and each value is decoded by the schema its Confluent wire-format
// header names, fetched from the registry's Confluent API and read with Apache Avro. Nothing here
// knows Tickstream's code: it proves the topics are readable from another language with the
// documented contract alone (schemas/README.md). Confluent's KafkaAvroDeserializer would do the
// decoding in one line, but it is not on Maven Central, so the five header bytes are read here.
//
// Usage: java -cp KAFKA_LIB/*:avro.jar ReadTopic.java TOPIC GROUP COUNT (settings in the env)
// Prints one JSON object per record: {"key", "partition", "offset", "schema_id", "value"}.

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

public class ReadTopic {
  public static void main(String[] args) {
    // The source launcher of JDK 17 fails on its own ("0 > -7") printing some exceptions thrown
    // out of main, hiding Kafka's answer: print it here.
    try {
      read(args);
    } catch (Exception e) {
      e.printStackTrace();
      System.exit(2);
    }
  }

  private static void read(String[] args) throws Exception {
    String topic = args[0];
    String group = args[1];
    int count = Integer.parseInt(args[2]);
    String registry = System.getenv("SCHEMA_REGISTRY_URL").replaceAll("/+$", "");

    Properties props = new Properties();
    props.put("bootstrap.servers", System.getenv("KAFKA_BROKERS"));
    props.put("security.protocol", "SASL_PLAINTEXT");
    props.put("sasl.mechanism", "SCRAM-SHA-512");
    props.put(
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + System.getenv("KAFKA_USERNAME")
            + "\" password=\""
            + System.getenv("KAFKA_PASSWORD")
            + "\";");
    props.put("group.id", group);
    props.put("auto.offset.reset", "earliest");
    props.put("enable.auto.commit", "false");
    props.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    props.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");

    HttpClient http = HttpClient.newHttpClient();
    ObjectMapper json = new ObjectMapper();
    Map<Integer, GenericDatumReader<GenericRecord>> readers = new HashMap<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    int seen = 0;
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(topic));
      while (seen < count) {
        if (System.nanoTime() > deadline) {
          System.err.printf("read %d of %d records from %s before the timeout%n", seen, count, topic);
          System.exit(3);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          ByteBuffer raw = ByteBuffer.wrap(record.value());
          byte magic = raw.get();
          if (magic != 0) throw new IllegalStateException("magic byte " + magic + ": not the Confluent wire format");
          int schemaId = raw.getInt();
          GenericDatumReader<GenericRecord> reader = readers.get(schemaId);
          if (reader == null) {
            HttpResponse<String> answer =
                http.send(
                    HttpRequest.newBuilder(URI.create(registry + "/schemas/ids/" + schemaId)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200)
              throw new IllegalStateException("registry answered " + answer.statusCode() + " for schema " + schemaId);
            String schema = json.readTree(answer.body()).get("schema").asText();
            reader = new GenericDatumReader<>(new Schema.Parser().parse(schema));
            readers.put(schemaId, reader);
          }
          GenericRecord value =
              reader.read(
                  null,
                  DecoderFactory.get()
                      .binaryDecoder(raw.array(), raw.position(), raw.remaining(), null));
          Map<String, Object> line = new java.util.LinkedHashMap<>();
          line.put("key", record.key());
          line.put("partition", record.partition());
          line.put("offset", record.offset());
          line.put("schema_id", schemaId);
          line.put("value", json.readTree(GenericData.get().toString(value)));
          System.out.println(json.writeValueAsString(line));
          seen++;
        }
      }
    }
  }
}
