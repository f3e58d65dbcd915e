package dev.rtca.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.fixtures.Envelopes;
import dev.rtca.local.DemoData;
import dev.rtca.local.IamRuntime;
import dev.rtca.local.LocalDynamo;
import dev.rtca.local.LocalRuntime;
import dev.rtca.local.TestRuntime;
import dev.rtca.segments.ContactKey;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The live transcript viewer in headless Chromium, served by the local runtime: it shows a contact's conversation,
 * segments the writers store appear in it in order (the time from the writer's invocation to the segment on the page
 * is measured), the Raw/Redacted toggle shows AccessDeniedException where the caller may not read Raw, and the
 * screenshot in docs/ comes from here ({@code -Drtca.screenshot=docs/viewer.png} writes it; every run writes
 * target/viewer.png). Skipped where no Chromium and chromedriver are installed ({@code .ci/run} installs them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ViewerBrowserTest {
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

    private static URI page(LocalRuntime runtime, ContactKey contact, String output) {
        return URI.create(runtime.endpoint() + "/?instance=" + contact.instanceId() + "&contact=" + contact.contactId()
                + "&channel=CHAT&output=" + output);
    }

    /**
     * The latency is measured on a runtime of its own (its own table, so its own stream): on the shared one, the
     * stream poller may still be working through what earlier test classes wrote when the segments of this test come.
     */
    @Test
    @Order(1) // before this class's own heavy writes (10,000 segments) keep the machine busy
    void segmentsAppearLiveAndInOrder() throws Exception {
        try (LocalRuntime runtime = LocalRuntime.start(LocalRuntime.Options.defaults(0).withTable("rtca-viewer-latency"),
                LocalDynamo.shared())) {
            segmentsAppearLiveAndInOrder(runtime);
        }
    }

    private void segmentsAppearLiveAndInOrder(LocalRuntime runtime) throws Exception {
        ContactKey contact = Envelopes.newContact();
        LiveProtocolTest.write(runtime, Envelopes.chat(contact, "STARTED", "Raw"));
        LiveProtocolTest.write(runtime, Envelopes.chatSegments(contact, "Raw", Envelopes.allV2("first", false)));
        browser.open(page(runtime, contact, "Raw"));
        browser.await("document.querySelectorAll('#conversation .segment').length >= 3 && document.querySelector('#mode').textContent === 'live'",
                Duration.ofSeconds(20));
        int before = browser.run("return document.querySelectorAll('#conversation .transcript').length;").asInt();

        // The page's own clock says when each message was added (the machine's wall clock, as the writer's start):
        // polling the page from here would add its polling interval to every figure.
        browser.run("window.shownAt = {}; new MutationObserver(changes => { const now = Date.now();"
                + " for (const change of changes) for (const node of change.addedNodes)"
                + " if (node.nodeType === 1 && node.matches('.transcript')) window.shownAt[node.dataset.id] ??= now; })"
                + ".observe(document.querySelector('#conversation'), {childList: true});");
        int warmUp = 20; // the first ones pay for the first use of the page and of the functions (JIT): not counted
        long[] writtenAt = new long[12 + warmUp];
        for (int i = 0; i < writtenAt.length; i++) {
            writtenAt[i] = System.currentTimeMillis();
            LiveProtocolTest.write(runtime, Envelopes.chatSegments(contact, "Raw", List.of(Envelopes.v2Transcript("live-" + i, false))));
            browser.await("document.querySelectorAll('#conversation .transcript').length >= " + (before + i + 1), Duration.ofSeconds(10));
        }
        JsonNode shownAt = browser.run("return window.shownAt;");
        List<Long> latencies = new ArrayList<>();
        for (int i = warmUp; i < writtenAt.length; i++) {
            assertTrue(shownAt.has("tr-live-" + i), "the page added tr-live-" + i + ": " + shownAt);
            latencies.add(shownAt.path("tr-live-" + i).asLong() - writtenAt[i]);
        }
        JsonNode ids = browser.run("return [...document.querySelectorAll('#conversation .transcript')].map(e => e.dataset.id);");
        List<String> shown = new ArrayList<>();
        ids.forEach(id -> shown.add(id.asText()));
        List<String> live = shown.subList(shown.size() - writtenAt.length, shown.size());
        assertEquals(java.util.stream.IntStream.range(0, writtenAt.length).mapToObj(i -> "tr-live-" + i).toList(), live,
                "in the order written");
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.println("viewer latency, writer invocation -> segment on the page: p50 " + sorted[sorted.length / 2]
                + " ms, max " + sorted[sorted.length - 1] + " ms " + Arrays.toString(sorted));
        assertEquals(1, browser.run("return document.querySelectorAll('#categories .chip').length;").asInt(), "the category listed");
        assertTrue(browser.run("return document.querySelector('#summary').textContent;").asText().length() > 0, "the summary shown");

        LiveProtocolTest.write(runtime, Envelopes.chat(contact, "COMPLETED", "Raw"));
        browser.await("document.querySelector('#status').textContent === 'completed'", Duration.ofSeconds(10));
    }

    @Test
    void tenThousandSegmentsAreAllShownInOrder() throws Exception {
        LocalRuntime runtime = TestRuntime.shared().runtime();
        ContactKey contact = Envelopes.newContact();
        int count = 10_000;
        LiveProtocolTest.write(runtime, Envelopes.chat(contact, "STARTED", "Raw"));
        for (int from = 0; from < count; from += 100) {
            LiveProtocolTest.write(runtime, Envelopes.chatSegments(contact, "Raw", LiveProtocolTest.transcripts("long", from, 100)));
        }
        long start = System.nanoTime();
        browser.open(page(runtime, contact, "Raw"));
        browser.await("document.querySelectorAll('#conversation .transcript').length === " + count, Duration.ofSeconds(120));
        long shown = (System.nanoTime() - start) / 1_000_000;
        JsonNode ends = browser.run("const all = document.querySelectorAll('#conversation .transcript');"
                + " return [all[0].dataset.id, all[4999].dataset.id, all[all.length - 1].dataset.id];");
        assertEquals("tr-long-0", ends.get(0).asText());
        assertEquals("tr-long-4999", ends.get(1).asText());
        assertEquals("tr-long-9999", ends.get(2).asText());
        // The page stays responsive: a round trip through the page's event loop while it holds them all.
        long ping = System.nanoTime();
        browser.run("document.querySelector('#conversation').scrollTop = 0; return 1;");
        System.out.println("viewer with " + count + " segments: all shown in " + shown + " ms after opening; a scroll "
                + (System.nanoTime() - ping) / 1_000_000 + " ms");
    }

    @Test
    void rawIsAccessDeniedWhereThePolicyAllowsOnlyRedacted() throws Exception {
        IamRuntime iam = IamRuntime.shared();
        ContactKey demo = new ContactKey("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", "a1b2c3d4-5678-90ab-cdef-EXAMPLE33333");
        URI origin = iam.endpoint();
        browser.open(origin.resolve("/"));
        // The supervisor dashboard's keys, as a user enters them in the viewer's connection settings.
        browser.run("localStorage.setItem('rtca.viewer', JSON.stringify({apiUrl: arguments[0], liveUrl: arguments[1], region: 'us-east-1',"
                + " accessKeyId: arguments[2], secretAccessKey: arguments[3], sessionToken: ''}));",
                origin.toString(), origin.toString().replace("http:", "ws:") + "/live",
                IamRuntime.SUPERVISOR.accessKeyId(), IamRuntime.SUPERVISOR.secretAccessKey());
        browser.open(URI.create(origin + "/?instance=" + demo.instanceId() + "&contact=" + demo.contactId() + "&channel=CHAT&output=Redacted"));
        browser.await("document.querySelectorAll('#conversation .transcript').length > 0", Duration.ofSeconds(20));
        browser.run("document.querySelector('#output button[data-output=Raw]').click();");
        browser.await("!document.querySelector('#banner').hidden", Duration.ofSeconds(20));
        assertEquals("AccessDeniedException", browser.run("return document.querySelector('#banner strong').textContent;").asText());
        assertTrue(browser.run("return document.querySelector('#banner span').textContent;").asText()
                .startsWith("User: " + IamRuntime.SUPERVISOR.arn() + " is not authorized"));
        assertEquals(0, browser.run("return document.querySelectorAll('#conversation .segment').length;").asInt(), "no data");
        browser.run("localStorage.removeItem('rtca.viewer');");
    }

    /** The viewer on one origin (as on a static host), the API on another: the voice contact read through V1. */
    @Test
    void fromAnotherOriginAVoiceContactIsReadThroughV1AndRefusalsShow() throws Exception {
        URI page = TestRuntime.shared().endpoint();
        URI api = IamRuntime.shared().endpoint();
        ContactKey voice = new ContactKey("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", "a1b2c3d4-5678-90ab-cdef-EXAMPLE22222");
        URI open = URI.create(page + "/?instance=" + voice.instanceId() + "&contact=" + voice.contactId() + "&channel=VOICE");
        for (IamRuntime.Principal caller : List.of(IamRuntime.QA_ANALYST, IamRuntime.NOTHING)) {
            browser.open(page.resolve("/"));
            browser.run("localStorage.setItem('rtca.viewer', JSON.stringify({apiUrl: arguments[0], liveUrl: arguments[1], region: 'us-east-1',"
                            + " accessKeyId: arguments[2], secretAccessKey: arguments[3], sessionToken: ''}));",
                    api.toString(), api.toString().replace("http:", "ws:") + "/live", caller.accessKeyId(), caller.secretAccessKey());
            browser.open(open);
            if (caller == IamRuntime.QA_ANALYST) {
                browser.await("document.querySelectorAll('#conversation .transcript.voice').length > 0", Duration.ofSeconds(20));
            } else {
                browser.await("!document.querySelector('#banner').hidden", Duration.ofSeconds(20));
                assertEquals("AccessDeniedException", browser.run("return document.querySelector('#banner strong').textContent;").asText());
            }
        }
        browser.run("localStorage.removeItem('rtca.viewer');");
    }

    /**
     * A voice call in progress opened by its IDs alone, push available: the chat subscribe is refused for a VOICE
     * contact, and the page subscribes as voice (live, not polling V1).
     */
    @Test
    void aVoiceContactOpenedByItsIdsAloneIsLiveThroughAVoiceSubscription() throws Exception {
        LocalRuntime runtime = TestRuntime.shared().runtime();
        ContactKey voice = Envelopes.newContact();
        runtime.invoke("KinesisIngestFunction", Envelopes.bytes(dev.rtca.ingest.Batches.kinesis(List.of(Envelopes.voice(voice, "STARTED"),
                Envelopes.voiceSegments(voice, List.of(Envelopes.v1Transcript("ids-alone", false)))))));
        browser.open(URI.create(runtime.endpoint() + "/?instance=" + voice.instanceId() + "&contact=" + voice.contactId()));
        browser.await("document.querySelectorAll('#conversation .transcript.voice').length > 0", Duration.ofSeconds(20));
        browser.await("document.querySelector('#mode').textContent === 'live'", Duration.ofSeconds(20));
        assertTrue(browser.run("return location.search;").asText().contains("channel=VOICE"), "opened again as voice");
        assertTrue(browser.run("return document.querySelector('#banner').hidden;").asBoolean(), "no error shown");
        assertTrue(browser.run("return document.querySelector('#output').hidden;").asBoolean(), "no Raw/Redacted choice for voice");
    }

    @Test
    void theScreenshotOfTheDemoConversation() throws Exception {
        LocalRuntime runtime = TestRuntime.shared().runtime();
        DemoData.load(runtime, Path.of("events"));
        ContactKey demo = new ContactKey("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111", "a1b2c3d4-5678-90ab-cdef-EXAMPLE33333");
        browser.open(page(runtime, demo, "Raw"));
        browser.await("document.querySelectorAll('#conversation .transcript').length > 0 && document.querySelector('#mode').textContent === 'live'",
                Duration.ofSeconds(20));
        Thread.sleep(300); // let the layout settle
        byte[] png = browser.screenshot();
        Path target = Path.of("target/viewer.png");
        Files.createDirectories(target.getParent());
        Files.write(target, png);
        String docs = System.getProperty("rtca.screenshot");
        if (docs != null && !docs.isBlank()) {
            Files.write(Path.of(docs), png);
        }
        assertTrue(png.length > 10_000, "a real picture");
    }
}
