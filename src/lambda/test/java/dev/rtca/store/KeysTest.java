package dev.rtca.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeysTest {
    /** Fragments that make key encodings ambiguous when concatenated naively. */
    private static final List<String> FRAGMENTS = List.of("", "#", "1", "12", "1#", "#1", "a", "a#b", "C#", "H#", "/", "é", "\uD83D\uDE00",
            " ", "\u0000", "E#0#");

    private static List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (String a : FRAGMENTS) {
            for (String b : FRAGMENTS) {
                ids.add(a + b);
            }
        }
        return ids.stream().distinct().toList();
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    // ------------------------------------------------------------------ partition keys

    @Test
    void partitionKeysAreInjectiveOverTrickyPairs() {
        List<String> ids = ids();
        Map<String, ContactKey> seen = new HashMap<>();
        int pairs = 0;
        for (String instance : ids) {
            for (String contact : ids) {
                ContactKey key = new ContactKey(instance, contact);
                ContactKey previous = seen.put(Keys.partition(key), key);
                assertEquals(null, previous, () -> key + " shares a partition with " + seen.get(Keys.partition(key)));
                pairs++;
            }
        }
        assertTrue(pairs > 5000, "pairs: " + pairs);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1#a | b    | 1   | a#b",
            "a#  | b    | a   | #b",
            "#   | ''   | ''  | #",
            "12  | 3    | 1   | 23",
            "1#2 | 3    | 1   | 2#3",
            "3#a | b#c  | 3   | a#b#c",
            "a/b | c    | a   | b/c",
    })
    void concatenationAmbiguitiesStayApart(String instanceA, String contactA, String instanceB, String contactB) {
        ContactKey a = new ContactKey(instanceA, contactA);
        ContactKey b = new ContactKey(instanceB, contactB);
        boolean ambiguous = false;
        for (String separator : List.of("#", "", "/")) {
            ambiguous |= (instanceA + separator + contactA).equals(instanceB + separator + contactB);
        }
        assertTrue(ambiguous, "the pair really is ambiguous when joined naively");
        assertNotEquals(Keys.partition(a), Keys.partition(b));
    }

    @Test
    void theKeyEncodingIsFrozen() {
        // Stored items outlive releases: a changed encoding would orphan every contact, segment and marker.
        ContactKey key = new ContactKey("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", "a1b2c3d4-5678-90ab-cdef-EXAMPLE22222");
        assertEquals("C#36#a1b2c3d4-5678-90ab-cdef-EXAMPLE11111#a1b2c3d4-5678-90ab-cdef-EXAMPLE22222", Keys.partition(key));
        assertEquals("C#H#aA_7BaTbU7pzAPExkLYh5NkRw3sTebWRiVomV2pTzCI", Keys.partition(new ContactKey("i".repeat(1500), "c".repeat(1000))));
        assertEquals("S#Raw#000000000042", Keys.segment(OutputType.Raw, 42));
        assertEquals("S#Redacted#999999999999", Keys.segment(OutputType.Redacted, Keys.MAX_SEQUENCE));
        assertEquals("E#3#kinesis:shardId-000000000000:4959", Keys.marker("kinesis:shardId-000000000000:4959", 3));
        assertEquals("META", Keys.CONTACT_SK);
    }

    @Test
    void longIdsAreHashedDistinctAndFitDynamoDb() {
        String instance = "i";
        // "C#1#i#" is 6 bytes: a 2042-byte contact ID is exactly DynamoDB's 2048-byte partition key limit.
        String atLimit = Keys.partition(new ContactKey(instance, "c".repeat(2042)));
        assertEquals(2048, utf8(atLimit));
        assertFalse(atLimit.startsWith("C#H#"), "at the limit the readable form is kept");

        String over = Keys.partition(new ContactKey(instance, "c".repeat(2043)));
        assertTrue(over.startsWith("C#H#"), over);
        assertTrue(utf8(over) <= 2048);

        Map<String, ContactKey> seen = new HashMap<>();
        Random random = new Random(7);
        List<ContactKey> longKeys = new ArrayList<>();
        String base = "x".repeat(2100);
        for (int i = 0; i < 200; i++) {
            longKeys.add(new ContactKey("inst", base + i));
            longKeys.add(new ContactKey("inst" + i, base));
        }
        // Multi-byte IDs: 600 emoji are 1200 chars but 2400 UTF-8 bytes.
        longKeys.add(new ContactKey("inst", "\uD83D\uDE00".repeat(600)));
        longKeys.add(new ContactKey("inst", "\uD83D\uDE00".repeat(599) + "\uD83D\uDE01"));
        longKeys.add(new ContactKey("\uD83D\uDE00".repeat(600), "inst"));
        byte[] noise = new byte[3000];
        for (int i = 0; i < 50; i++) {
            random.nextBytes(noise);
            longKeys.add(new ContactKey("r", new String(noise, StandardCharsets.ISO_8859_1)));
        }
        for (ContactKey key : longKeys) {
            String pk = Keys.partition(key);
            assertTrue(pk.startsWith("C#H#"), "hashed: " + key.contactId().length());
            assertTrue(utf8(pk) <= 2048);
            assertEquals(null, seen.put(pk, key));
        }
        // A hashed key can never equal a readable one: readable keys continue with a digit after "C#".
        for (String id : ids()) {
            assertFalse(Keys.partition(new ContactKey(id, "H")).startsWith("C#H#"));
        }
    }

    // ------------------------------------------------------------------ segment sort keys

    @Test
    void segmentSortKeysSortInSequenceOrder() {
        Random random = new Random(11);
        List<Long> sequences = new ArrayList<>(LongStream.of(0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 123_456_789L,
                999_999_999_998L, Keys.MAX_SEQUENCE).boxed().toList());
        for (int i = 0; i < 2000; i++) {
            sequences.add(Math.floorMod(random.nextLong(), Keys.MAX_SEQUENCE + 1));
        }
        for (OutputType stream : OutputType.values()) {
            List<String> keys = sequences.stream().map(s -> Keys.segment(stream, s)).toList();
            List<String> byString = new ArrayList<>(keys);
            byString.sort(Comparator.naturalOrder());
            List<String> byNumber = sequences.stream().sorted().map(s -> Keys.segment(stream, s)).toList();
            assertEquals(byNumber, byString);
            for (long s : sequences) {
                assertEquals(s, Keys.sequence(Keys.segment(stream, s)), "sequence round trip");
                assertTrue(Keys.segment(stream, s).startsWith(Keys.streamPrefix(stream)));
            }
        }
    }

    @Test
    void streamsAndOtherItemsNeverFallInsideAStreamsRange() {
        for (OutputType stream : OutputType.values()) {
            String low = Keys.segment(stream, 0);
            String high = Keys.segment(stream, Keys.MAX_SEQUENCE);
            List<String> others = new ArrayList<>(List.of(Keys.CONTACT_SK));
            for (OutputType other : OutputType.values()) {
                if (other != stream) {
                    others.add(Keys.segment(other, 0));
                    others.add(Keys.segment(other, 5));
                    others.add(Keys.segment(other, Keys.MAX_SEQUENCE));
                }
            }
            for (String id : ids()) {
                others.add(Keys.marker(id, 0));
                others.add(Keys.marker("S#" + stream.name() + "#" + id, 3));
            }
            for (String sk : others) {
                assertFalse(sk.compareTo(low) >= 0 && sk.compareTo(high) <= 0, sk + " is inside the " + stream + " range");
            }
        }
    }

    // ------------------------------------------------------------------ ingest markers

    @Test
    void markerKeysAreInjectiveOverEventKeyAndChunk() {
        List<String> eventKeys = new ArrayList<>(ids());
        eventKeys.add("shardId-000000000000:49590338271490256608559692538361571095921575989136588898");
        eventKeys.add("1");
        eventKeys.add("1#");
        eventKeys.add("#1");
        Map<String, String> seen = new HashMap<>();
        int count = 0;
        for (String eventKey : eventKeys.stream().distinct().toList()) {
            for (int chunk = 0; chunk <= 12; chunk++) {
                String marker = Keys.marker(eventKey, chunk);
                String previous = seen.put(marker, eventKey + " / " + chunk);
                String current = eventKey + " / " + chunk;
                assertEquals(null, previous, () -> current + " shares marker " + marker);
                assertTrue(marker.startsWith("E#"));
                count++;
            }
        }
        assertTrue(count > 3000, "markers: " + count);
        // ("1", 12) vs ("21", 1) vs ("2#1", 1): the chunk is delimited.
        assertNotEquals(Keys.marker("2", 1), Keys.marker("", 12));
        assertNotEquals(Keys.marker("#1", 1), Keys.marker("1", 1) + "#");
    }

    @Test
    void longEventKeysAreHashedDistinctAndFitTheSortKeyLimit() {
        String base = "k".repeat(1100);
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            for (int chunk = 0; chunk < 3; chunk++) {
                String marker = Keys.marker(base + i, chunk);
                assertTrue(marker.startsWith("E#H#"), marker);
                assertTrue(utf8(marker) <= 1024);
                assertEquals(null, seen.put(marker, i + "/" + chunk));
            }
        }
        // Exactly at the limit: "E#0#" + 1020 bytes = 1024 is kept readable; one more byte is hashed.
        assertEquals(1024, utf8(Keys.marker("k".repeat(1020), 0)));
        assertTrue(Keys.marker("k".repeat(1021), 0).startsWith("E#H#"));
        assertTrue(Keys.marker("\u20ac".repeat(400), 0).startsWith("E#H#"), "1200 UTF-8 bytes in 400 chars");
    }
}
