package dev.rtca.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.ingest.Batches;
import dev.rtca.local.LocalDynamo;
import dev.rtca.local.LocalRuntime;
import dev.rtca.local.TestRuntime;
import dev.rtca.segments.ContactKey;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The viewer on a live call, in headless Chromium: a voice contact the Kinesis writer feeds with Utterances, then
 * Transcripts, then Categories, as Connect's voice segment stream does. The words show as they are spoken (a partial
 * transcript, provisional), each replaced in place by its final transcript, the turns in spoken order, none twice.
 * The client rules for Partial frames and the turns' order are driven directly with frames in every order. The
 * screenshot in docs/ comes from here ({@code -Drtca.voiceScreenshot=docs/viewer-voice.png} writes it; every run
 * writes target/viewer-voice.png). Skipped where no Chromium and chromedriver are installed.
 */
class VoiceViewerBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Browser browser;

    @BeforeAll
    static void browser() throws Exception {
        browser = Browser.startOrSkip(1400, 860);
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
    }

    /** Writes voice envelopes through the Kinesis writer (Invoke API), as Connect's segment stream delivers them. */
    private static void kinesis(LocalRuntime runtime, ObjectNode... envelopes) throws Exception {
        runtime.invoke("KinesisIngestFunction", Envelopes.bytes(Batches.kinesis(List.of(envelopes))));
    }

    private static void segment(LocalRuntime runtime, ContactKey contact, ObjectNode segment) throws Exception {
        kinesis(runtime, Envelopes.voiceSegments(contact, List.of(segment)));
    }

    /** A speaker's words: {type: {Id, ParticipantId and ParticipantRole (the role), the text under its name, offsets}}. */
    private static ObjectNode words(String type, String id, String role, String textField, String text, long begin, long end) {
        ObjectNode segment = Envelopes.JSON.createObjectNode();
        segment.putObject(type).put("Id", id).put("ParticipantId", role).put("ParticipantRole", role).put(textField, text)
                .put("BeginOffsetMillis", begin).put("EndOffsetMillis", end);
        return segment;
    }

    private static ObjectNode utterance(String id, String transcriptId, String role, String words, long begin, long end) {
        ObjectNode u = words("Utterance", id, role, "PartialContent", words, begin, end);
        u.with("Utterance").put("TranscriptId", transcriptId);
        return u;
    }

    private static ObjectNode transcript(String id, String role, String content, long begin, long end, String sentiment) {
        ObjectNode t = words("Transcript", id, role, "Content", content, begin, end);
        t.with("Transcript").put("Sentiment", sentiment);
        return t;
    }

    private static ObjectNode categories(String name, long begin, long end) {
        ObjectNode s = Envelopes.JSON.createObjectNode();
        ObjectNode b = s.putObject("Categories");
        b.putArray("MatchedCategories").add(name);
        ObjectNode point = b.putObject("MatchedDetails").putObject(name).putArray("PointsOfInterest").addObject();
        point.put("BeginOffsetMillis", begin);
        point.put("EndOffsetMillis", end);
        return s;
    }

    private static String turn(String id) {
        return "document.querySelector('#conversation .transcript[data-id=\"" + id + "\"]')";
    }

    private static List<String> shown(String what) throws Exception {
        List<String> values = new ArrayList<>();
        browser.run("return [...document.querySelectorAll('#conversation .transcript')].map(e => " + what + ");")
                .forEach(v -> values.add(v.asText()));
        return values;
    }

    private static void awaitPartial(String id, String text) throws Exception {
        browser.await(turn(id) + "?.classList.contains('partial') && " + turn(id) + ".querySelector('.text').textContent === "
                + literal(text), WAIT);
    }

    private static void awaitFinal(String id, String text) throws Exception {
        browser.await(turn(id) + " && !" + turn(id) + ".classList.contains('partial') && " + turn(id)
                + ".querySelector('.text').textContent === " + literal(text), WAIT);
    }

    /** A string as a JavaScript literal. */
    private static String literal(String text) throws Exception {
        return Envelopes.JSON.writeValueAsString(text);
    }

    /** A voice call STARTED through the Kinesis writer, opened in the viewer by its link, live. */
    private static ContactKey startedAndOpenLive(LocalRuntime runtime) throws Exception {
        ContactKey call = Envelopes.newContact();
        kinesis(runtime, Envelopes.voice(call, "STARTED"));
        browser.open(URI.create(runtime.endpoint() + "/?instance=" + call.instanceId() + "&contact=" + call.contactId() + "&channel=VOICE"));
        browser.await("document.querySelector('#mode').textContent === 'live'", WAIT);
        return call;
    }

    @Test
    void aLiveCallShowsTheWordsAsSpokenEachReplacedInPlaceByItsFinalTranscript() throws Exception {
        LocalRuntime runtime = TestRuntime.shared().runtime();
        ContactKey call = startedAndOpenLive(runtime);
        assertTrue(browser.run("return document.querySelector('#output').hidden;").asBoolean(), "no Raw/Redacted choice for voice");
        // The first words after the subscription: stored as a final transcript, then live from here on.
        segment(runtime, call, transcript("t0", "AGENT", "Thank you for calling AnyCompany.", 0, 1800, "POSITIVE"));
        awaitFinal("t0", "Thank you for calling AnyCompany.");

        // The customer speaks: the words so far, provisional, growing as each Utterance comes.
        segment(runtime, call, utterance("u1", "t1", "CUSTOMER", "Hi, I was", 2400, 3100));
        awaitPartial("t1", "Hi, I was");
        browser.run("window.t1 = " + turn("t1") + "; return 1;");
        segment(runtime, call, utterance("u2", "t1", "CUSTOMER", "charged twice for", 3100, 4200));
        awaitPartial("t1", "Hi, I was charged twice for");
        assertTrue(browser.run("return window.t1 === " + turn("t1") + ";").asBoolean(), "the partial grows in place");
        assertTrue(browser.run("return getComputedStyle(window.t1).fontStyle;").asText().equals("italic"), "visibly provisional");

        // Its final transcript takes the partial's place: the same element, no longer provisional, the final words.
        segment(runtime, call, transcript("t1", "CUSTOMER", "Hi, I was charged twice for my order.", 2400, 4800, "NEGATIVE"));
        awaitFinal("t1", "Hi, I was charged twice for my order.");
        assertTrue(browser.run("return window.t1 === " + turn("t1") + ";").asBoolean(), "replaced in place, not added");
        assertEquals(List.of("t0", "t1"), shown("e.dataset.id"));
        segment(runtime, call, categories("BillingDispute", 2400, 4800));
        browser.await("[...document.querySelectorAll('#categories .chip')].some(c => c.textContent === 'BillingDispute')", WAIT);

        // The agent starts answering; the customer's next words, which began earlier, come as a final transcript
        // with no partial seen: it goes before the agent's partial, in spoken order.
        segment(runtime, call, utterance("u3", "t3", "AGENT", "I'm sorry about", 7200, 8000));
        awaitPartial("t3", "I'm sorry about");
        segment(runtime, call, transcript("t2", "CUSTOMER", "Order 4471.", 5200, 6900, "NEUTRAL"));
        awaitFinal("t2", "Order 4471.");
        assertEquals(List.of("t0", "t1", "t2", "t3"), shown("e.dataset.id"), "turns in spoken order");
        assertEquals(List.of("false", "false", "false", "true"), shown("e.classList.contains('partial')"));
        assertEquals(List.of("role-agent", "role-customer", "role-customer", "role-agent"),
                shown("[...e.classList].find(c => c.startsWith('role-'))"), "speaker turns by ParticipantRole");
        screenshot();

        segment(runtime, call, utterance("u4", "t3", "AGENT", "that, let me look.", 8000, 9100));
        awaitPartial("t3", "I'm sorry about that, let me look.");
        segment(runtime, call, transcript("t3", "AGENT", "I'm sorry about that. Let me look.", 7200, 9300, "NEUTRAL"));
        awaitFinal("t3", "I'm sorry about that. Let me look.");

        // Redelivered records (a late Utterance of a finished transcript, a final transcript again) change nothing:
        // the next turn comes, and nothing before it was added twice or turned provisional again.
        segment(runtime, call, utterance("u5", "t1", "CUSTOMER", "late words", 4800, 5000));
        segment(runtime, call, transcript("t2", "CUSTOMER", "Order 4471.", 5200, 6900, "NEUTRAL"));
        segment(runtime, call, transcript("t4", "CUSTOMER", "Thanks.", 9800, 10400, "POSITIVE"));
        awaitFinal("t4", "Thanks.");
        assertEquals(List.of("t0", "t1", "t2", "t3", "t4"), shown("e.dataset.id"), "each turn once, in order");
        assertEquals(List.of("Thank you for calling AnyCompany.", "Hi, I was charged twice for my order.", "Order 4471.",
                "I'm sorry about that. Let me look.", "Thanks."), shown("e.querySelector('.text').textContent"));
        assertEquals(0, browser.run("return document.querySelectorAll('#conversation .partial').length;").asInt());

        // Clicking the category marks the turns it points at (V1: offsets in the call).
        browser.run("[...document.querySelectorAll('#categories .chip')].find(c => c.textContent === 'BillingDispute').click(); return 1;");
        assertEquals(List.of("t1"), ids(".transcript.highlight"));

        kinesis(runtime, Envelopes.voice(call, "COMPLETED"));
        browser.await("document.querySelector('#status').textContent === 'completed' && document.querySelector('#mode').textContent === 'ended'",
                WAIT);
    }

    private static List<String> ids(String selector) throws Exception {
        List<String> values = new ArrayList<>();
        browser.run("return [...document.querySelectorAll('" + selector + "')].map(e => e.dataset.id);").forEach(v -> values.add(v.asText()));
        return values;
    }

    private static void screenshot() throws Exception {
        browser.run("document.querySelector('#conversation').scrollTop = 0; return 1;");
        byte[] png = browser.screenshot();
        Path target = Path.of("target/viewer-voice.png");
        Files.createDirectories(target.getParent());
        Files.write(target, png);
        String docs = System.getProperty("rtca.voiceScreenshot");
        if (docs != null && !docs.isBlank()) {
            Files.write(Path.of(docs), png);
        }
        assertTrue(png.length > 10_000, "a real picture");
    }

    /** The page's voice module (src/viewer/voice.js), loaded into a page of the local runtime's origin. */
    private static void loadVoiceModule() throws Exception {
        browser.open(URI.create(TestRuntime.shared().endpoint() + "/index.html?instance=none&contact=none"));
        browser.run("window.voice = null; import('/voice.js').then(m => { window.voice = m; }); return 1;");
        browser.await("window.voice", WAIT);
    }

    /**
     * Partial frames in any order, repeated, with the final transcript coming at any point: what is shown for a
     * transcript only ever moves to a higher Revision, is the highest delivered before its final, and nothing is shown
     * for it after its final. 500 seeded shuffles.
     */
    @Test
    void partialFramesShowOnlyTheHighestRevisionAndNothingAfterTheFinal() throws Exception {
        loadVoiceModule();
        JsonNode failures = browser.run("""
                const failures = [];
                let seed = 18;
                const random = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
                for (let run = 0; run < 500; run++) {
                  const frames = [];
                  for (const id of ['a', 'b']) for (let r = 1; r <= 4; r++) for (let copies = 1 + random(2); copies > 0; copies--)
                    frames.push({ TranscriptId: id, Revision: r });
                  for (let i = frames.length - 1; i > 0; i--) { const j = random(i + 1); [frames[i], frames[j]] = [frames[j], frames[i]]; }
                  const closeAt = random(frames.length + 1); // the final transcript of 'a' comes before frame closeAt
                  const turns = new window.voice.OpenTurns();
                  const shown = { a: 0, b: 0 }, highest = { a: 0, b: 0 };
                  frames.forEach((frame, i) => {
                    if (i === closeAt) turns.close('a');
                    const closed = frame.TranscriptId === 'a' && i >= closeAt;
                    if (!closed) highest[frame.TranscriptId] = Math.max(highest[frame.TranscriptId], frame.Revision);
                    if (turns.accept(frame)) {
                      if (closed) failures.push(`run ${run}: a partial of 'a' shown after its final`);
                      if (frame.Revision <= shown[frame.TranscriptId]) failures.push(`run ${run}: revision ${frame.Revision} after ${shown[frame.TranscriptId]}`);
                      shown[frame.TranscriptId] = frame.Revision;
                    }
                  });
                  for (const id of ['a', 'b']) if (shown[id] !== highest[id]) failures.push(`run ${run}: ${id} shows ${shown[id]}, highest ${highest[id]}`);
                }
                return failures.slice(0, 5);
                """);
        assertEquals("[]", failures.toString());
    }

    /** Turns arriving in every order end in spoken order (BeginOffsetMillis), turns that began together in arrival order. */
    @Test
    void turnsArePlacedInSpokenOrderWhateverOrderTheyArriveIn() throws Exception {
        loadVoiceModule();
        JsonNode failures = browser.run("""
                const begins = [0, 1200, 1200, 3000, 4500];
                const permutations = (xs) => xs.length <= 1 ? [xs]
                  : xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map(p => [x, ...p]));
                const failures = [];
                for (const order of permutations([0, 1, 2, 3, 4])) {
                  const list = document.createElement('div');
                  for (const i of order) {
                    const turn = document.createElement('article');
                    turn.dataset.begin = String(begins[i]);
                    turn.dataset.n = String(i);
                    window.voice.place(list, turn);
                  }
                  const got = [...list.children].map(e => Number(e.dataset.begin));
                  const expected = [...begins];
                  const tied = [...list.children].filter(e => e.dataset.begin === '1200').map(e => Number(e.dataset.n));
                  const arrived = order.filter(i => begins[i] === 1200);
                  if (String(got) !== String(expected) || String(tied) !== String(arrived))
                    failures.push(`${order}: ${got} (tied ${tied})`);
                }
                return failures.slice(0, 5);
                """);
        assertEquals("[]", failures.toString());
    }

    /**
     * A call longer than the window: the conversation scrolls within its pane (the page itself does not), and the words
     * being spoken now stay in view as the call goes on.
     */
    @Test
    void theWordsBeingSpokenStayInViewAsTheCallGrowsPastTheWindow() throws Exception {
        LocalRuntime runtime = TestRuntime.shared().runtime();
        ContactKey call = startedAndOpenLive(runtime);
        for (int t = 0; t < 24; t++) {
            String role = t % 2 == 0 ? "AGENT" : "CUSTOMER";
            segment(runtime, call, transcript("t" + t, role, "Turn " + t + " of a call that goes on past the window.",
                    t * 3_000L, t * 3_000L + 2_500, "NEUTRAL"));
        }
        awaitFinal("t23", "Turn 23 of a call that goes on past the window.");
        segment(runtime, call, utterance("u-now", "t24", "CUSTOMER", "and these words are spoken now", 72_000, 73_500));
        awaitPartial("t24", "and these words are spoken now");
        assertTrue(browser.run("const l = document.querySelector('#conversation'); return l.scrollHeight > l.clientHeight;")
                .asBoolean(), "the call is longer than its pane");
        assertTrue(browser.run("const d = document.scrollingElement; return d.scrollHeight <= d.clientHeight;").asBoolean(),
                "the page does not scroll: the conversation does");
        browser.await("(() => { const l = document.querySelector('#conversation'), r = " + turn("t24")
                + ".getBoundingClientRect(), v = l.getBoundingClientRect(); return r.top >= v.top && r.bottom <= v.bottom; })()", WAIT);
    }

    /** A newcomer opens the viewer with no parameters: the newest contact in progress opens (locally, the demo call). */
    @Test
    void withNoParametersTheNewestContactInProgressOpens() throws Exception {
        try (LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Options.defaults(0).withTable("rtca-viewer-newest"),
                LocalDynamo.shared())) {
            ContactKey olderChat = Envelopes.newContact();
            ContactKey call = Envelopes.newContact();
            ContactKey over = Envelopes.newContact();
            LiveProtocolTest.write(runtime, Envelopes.chat(olderChat, "STARTED", "Raw"));
            kinesis(runtime, Envelopes.voice(call, "STARTED"));
            kinesis(runtime, Envelopes.voice(over, "STARTED"));
            kinesis(runtime, Envelopes.voice(over, "COMPLETED"));
            segment(runtime, call, transcript("t0", "AGENT", "Thank you for calling.", 0, 1500, "NEUTRAL"));
            browser.open(runtime.endpoint().resolve("/"));
            browser.await("document.querySelector('#contact-title').textContent === '" + call.contactId() + "'", WAIT);
            browser.await("document.querySelector('#contacts li.active')?.dataset.contact === '" + call.contactId() + "'", WAIT);
            assertFalse(browser.run("return location.search;").asText().isEmpty(), "the link names the contact opened");
            assertTrue(browser.run("return location.search;").asText().contains("channel=VOICE"));
            browser.await(turn("t0") + "?.classList.contains('voice')", WAIT);
        }
    }
}
