package dev.rtca.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.fixtures.MemoryStore;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OpenTranscript;
import dev.rtca.segments.OutputType;
import dev.rtca.segments.PartialTranscript;
import dev.rtca.segments.Utterance;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Properties of keeping Utterances, over random calls: a few transcripts, each some Utterances and its final Transcript,
 * arriving in any order (the final first included), cut into events of either stream, the events delivered in runs
 * (one by one or several to {@link Ingestor#applySegments}), some delivered again (a redelivery: the same key) or sent
 * again (a producer's retry: a new key), some Utterances twice in one event. Applied by the {@link Ingestor} over a
 * {@link MemoryStore}; the model: an arrival of an Utterance is late exactly when its stream's Transcript with its
 * TranscriptId arrived before it, and a transcript's kept Utterances are those with an arrival that was not late.
 * Whatever the order, {@link PartialTranscript#assemble} of what is kept is the Utterances' contents in spoken order.
 *
 * <p>Seeded: every iteration's seed is in its failure message; {@code -Dutterances.seed=N} starts from another seed and
 * {@code -Dutterances.iterations=N} runs more.
 */
class UtterancePropertyTest {
    private static final long SEED = Long.getLong("utterances.seed", 20_261_206L);
    private static final int ITERATIONS = Integer.getInteger("utterances.iterations", 500);

    /** One element of a voice event: an Utterance or a final Transcript (whose Id is "tr-" + transcript). */
    private record Element(String transcript, Utterance utterance) {
        ObjectNode json() {
            return utterance == null ? Envelopes.v1Transcript(transcript, false)
                    : Envelopes.v1Utterance(utterance.id(), transcript, utterance.partialContent(),
                    (int) utterance.beginOffsetMillis(), (int) utterance.endOffsetMillis());
        }
    }

    private record Event(String key, OutputType stream, List<Element> elements) {
        Envelope envelope(ContactKey contact) {
            ObjectNode json = Envelopes.voiceSegments(contact, elements.stream().map(Element::json).toList());
            json.put("OutputType", stream.name());
            return Envelope.parse(json);
        }
    }

    @Test
    void anyArrivalOrderRedeliveryAndRunKeepsThoseBeforeTheirFinalAndCountsTheRest() {
        for (int i = 0; i < ITERATIONS; i++) {
            long seed = SEED + i;
            try {
                iteration(new Random(seed));
            } catch (AssertionError e) {
                throw new AssertionError("iteration seed " + seed + ": " + e.getMessage(), e);
            }
        }
    }

    private static void iteration(Random random) {
        List<Element> elements = new ArrayList<>();
        int transcripts = 1 + random.nextInt(3);
        for (int t = 0; t < transcripts; t++) {
            int fragments = 1 + random.nextInt(5);
            for (int u = 0; u < fragments; u++) {
                int begin = random.nextInt(3) * 500; // equal offsets now and then: the order falls back on the Id
                elements.add(new Element("t" + t, new Utterance("u" + t + "-" + u, "tr-t" + t, "CUSTOMER", "CUSTOMER",
                        random.nextInt(6) == 0 ? "" : "w" + t + u, begin, begin + random.nextInt(400))));
            }
            elements.add(new Element("t" + t, null));
        }
        Collections.shuffle(elements, random);
        List<Event> events = new ArrayList<>();
        for (int from = 0; from < elements.size(); ) {
            int to = Math.min(elements.size(), from + 1 + random.nextInt(4));
            List<Element> cut = new ArrayList<>(elements.subList(from, to));
            if (random.nextInt(6) == 0) { // the same Utterance twice in one event
                cut.stream().filter(e -> e.utterance() != null).findFirst().ifPresent(cut::add);
            }
            OutputType stream = random.nextInt(5) == 0 ? OutputType.Redacted : OutputType.Raw;
            events.add(new Event("k" + events.size(), stream, cut));
            from = to;
        }
        List<Event> deliveries = new ArrayList<>(events);
        for (Event event : events) {
            int copies = random.nextInt(4) == 0 ? 1 : 0;
            for (int c = 0; c < copies; c++) {
                Event again = random.nextBoolean() ? event : new Event(event.key() + "-retry", event.stream(), event.elements());
                deliveries.add(random.nextInt(deliveries.size() + 1), again);
            }
        }

        // The model, arrival by arrival.
        Set<OpenTranscript> finals = new HashSet<>();
        Map<OpenTranscript, Map<String, Utterance>> kept = new HashMap<>();
        int keptArrivals = 0;
        int lateArrivals = 0;
        for (Event event : deliveries) {
            for (Element element : event.elements()) {
                OpenTranscript transcript = new OpenTranscript(event.stream(), "tr-" + element.transcript());
                if (element.utterance() == null) {
                    finals.add(transcript);
                } else if (finals.contains(transcript)) {
                    lateArrivals++;
                } else {
                    keptArrivals++;
                    kept.computeIfAbsent(transcript, t -> new HashMap<>()).put(element.utterance().id(), element.utterance());
                }
            }
        }

        MemoryStore store = new MemoryStore();
        Ingestor ingestor = new Ingestor(store);
        ContactKey contact = Envelopes.newContact();
        List<IngestResult> results = new ArrayList<>();
        for (int from = 0; from < deliveries.size(); ) {
            int to = Math.min(deliveries.size(), from + 1 + random.nextInt(4));
            List<Event> run = deliveries.subList(from, to);
            if (run.size() == 1 && random.nextBoolean()) {
                results.add(ingestor.apply(run.getFirst().envelope(contact), run.getFirst().key()));
            } else {
                results.addAll(ingestor.applySegments(run.stream().map(e -> e.envelope(contact)).toList(),
                        run.stream().map(Event::key).toList()));
            }
            from = to;
        }

        assertEquals(keptArrivals, results.stream().mapToInt(IngestResult::partials).sum(), "Utterances kept");
        assertEquals(lateArrivals, results.stream().mapToInt(IngestResult::latePartials).sum(), "Utterances late");
        for (OutputType stream : OutputType.values()) {
            for (int t = 0; t < transcripts; t++) {
                OpenTranscript transcript = new OpenTranscript(stream, "tr-t" + t);
                Map<String, Utterance> expected = kept.getOrDefault(transcript, Map.of());
                List<Utterance> stored = store.utterances(contact, transcript);
                assertEquals(expected.keySet(), stored.stream().map(Utterance::id).collect(Collectors.toSet()), transcript.toString());
                assertEquals(stored.size(), Set.copyOf(stored).size(), "each Utterance once");
                if (!stored.isEmpty()) {
                    assertAssembled(new ArrayList<>(expected.values()), random);
                    assertEquals(PartialTranscript.assemble(expected.values()), PartialTranscript.assemble(stored));
                }
            }
        }
    }

    /** Assembled in any order, with repeats: the contents in spoken order, the first's speaker, the offsets' span. */
    private static void assertAssembled(List<Utterance> distinct, Random random) {
        List<Utterance> spoken = distinct.stream().sorted(Comparator.comparingLong(Utterance::beginOffsetMillis)
                .thenComparingLong(Utterance::endOffsetMillis).thenComparing(Utterance::id)).toList();
        List<Utterance> arrival = new ArrayList<>(distinct);
        for (int r = random.nextInt(3); r > 0; r--) {
            arrival.add(distinct.get(random.nextInt(distinct.size())));
        }
        Collections.shuffle(arrival, random);
        PartialTranscript partial = PartialTranscript.assemble(arrival);
        assertEquals(spoken.stream().map(Utterance::partialContent).filter(s -> !s.isEmpty()).collect(Collectors.joining(" ")),
                partial.text());
        assertEquals(distinct.size(), partial.revision());
        assertEquals(spoken.getFirst().beginOffsetMillis(), partial.beginOffsetMillis());
        assertEquals(spoken.stream().mapToLong(Utterance::endOffsetMillis).max().orElseThrow(), partial.endOffsetMillis());
        assertEquals(spoken.getFirst().transcriptId(), partial.transcriptId());
    }

    @Test
    void finalBeforeItsPartialsLeavesThemAllLateAndCounted() {
        MemoryStore store = new MemoryStore();
        Ingestor ingestor = new Ingestor(store);
        ContactKey contact = Envelopes.newContact();
        OpenTranscript transcript = new OpenTranscript(OutputType.Raw, "tr-1");
        // The final first, then its Utterances: in the same event, in a later event of the same run, in a later call.
        IngestResult same = ingestor.apply(Envelope.parse(Envelopes.voiceSegments(contact, List.of(
                Envelopes.v1Transcript("1", false), Envelopes.v1Utterance("a", "1", "hello", 0, 100)))), "k1");
        assertEquals(List.of(1, 0), List.of(same.latePartials(), same.partials()));
        List<IngestResult> run = ingestor.applySegments(List.of(
                Envelope.parse(Envelopes.voiceSegments(contact, List.of(Envelopes.v1Transcript("2", false)))),
                Envelope.parse(Envelopes.voiceSegments(contact, List.of(Envelopes.v1Utterance("b", "2", "there", 0, 100))))),
                List.of("k2", "k3"));
        assertEquals(List.of(0, 1), run.stream().map(IngestResult::latePartials).toList());
        IngestResult later = ingestor.apply(Envelope.parse(Envelopes.voiceSegments(contact, List.of(
                Envelopes.v1Utterance("c", "1", "world", 100, 200)))), "k4");
        assertEquals(List.of(1, 0), List.of(later.latePartials(), later.partials()));
        assertEquals(List.of(), store.utterances(contact, transcript));
        // Before its final, in the same event: kept.
        IngestResult before = ingestor.apply(Envelope.parse(Envelopes.voiceSegments(contact, List.of(
                Envelopes.v1Utterance("d", "3", "bye", 0, 100), Envelopes.v1Transcript("3", false)))), "k5");
        assertEquals(List.of(0, 1), List.of(before.latePartials(), before.partials()));
        assertEquals(List.of("d"), store.utterances(contact, new OpenTranscript(OutputType.Raw, "tr-3")).stream()
                .map(Utterance::id).toList());
    }

    @Test
    void anUtteranceWithoutATranscriptIdIsDroppedInNeitherCount() {
        MemoryStore store = new MemoryStore();
        ContactKey contact = Envelopes.newContact();
        ObjectNode orphan = Envelopes.v1Utterance("x", "1", "hm", 0, 10);
        ((ObjectNode) orphan.get("Utterance")).remove("TranscriptId");
        Envelope envelope = Envelope.parse(Envelopes.voiceSegments(contact, List.of(orphan)));
        assertEquals(List.of(), envelope.utterances());
        IngestResult result = new Ingestor(store).apply(envelope, "k");
        assertEquals(List.of(0, 0, 0), List.of(result.appended(), result.partials(), result.latePartials()));
    }

    @Test
    void assemblingNothingOrTwoTranscriptsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PartialTranscript.assemble(List.of()));
        assertThrows(IllegalArgumentException.class, () -> PartialTranscript.assemble(List.of(
                new Utterance("a", "t1", "p", "AGENT", "x", 0, 1), new Utterance("b", "t2", "p", "AGENT", "y", 0, 1))));
    }
}
