package dev.rtca.contract;

import static dev.rtca.local.IamRuntime.DEVELOPER;
import static dev.rtca.local.IamRuntime.EVENTS;
import static dev.rtca.local.IamRuntime.NIGHT_SHIFT;
import static dev.rtca.local.IamRuntime.NOTHING;
import static dev.rtca.local.IamRuntime.NO_RAW_IN_B;
import static dev.rtca.local.IamRuntime.OUTSIDER;
import static dev.rtca.local.IamRuntime.PARTNER;
import static dev.rtca.local.IamRuntime.QA_ANALYST;
import static dev.rtca.local.IamRuntime.SUPERVISOR;
import static dev.rtca.local.IamRuntime.TENANT;
import static dev.rtca.local.IamRuntime.TRANSCRIPTS;
import static dev.rtca.local.IamRuntime.UNLISTED_ROLE;
import static dev.rtca.local.IamRuntime.V2_ONLY;
import static dev.rtca.local.IamRuntime.WILDCARD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rtca.fixtures.Samples;
import dev.rtca.local.IamRuntime;
import dev.rtca.local.IamRuntime.Principal;
import dev.rtca.local.TestRuntime;
import dev.rtca.segments.Channel;
import dev.rtca.segments.ContactKey;
import dev.rtca.segments.OutputType;
import dev.rtca.store.DynamoContactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.connect.ConnectClient;
import software.amazon.awssdk.services.connect.model.AccessDeniedException;
import software.amazon.awssdk.services.connectcontactlens.ConnectContactLensClient;
import software.amazon.awssdk.services.connectcontactlens.model.ListRealtimeContactAnalysisSegmentsResponse;

/**
 * Who may read what, through the official Java SDK against the local runtime with SigV4 verification and stored
 * policies (the README's three roles and principals of this suite's own): each row is a caller, an operation, a contact
 * and what the caller must get. V1 rows say which stream was read: Redacted when the contact has it, else Raw.
 */
class AuthorizationTest {
    private static final String INSTANCE_A = "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final IamRuntime IAM = IamRuntime.shared();

    /** The contacts the rows name; "missing" ones are never written. */
    enum Contact {
        A_CHAT(INSTANCE_A, Channel.CHAT, Set.of(OutputType.Raw, OutputType.Redacted)),
        A_CHAT_RAW(INSTANCE_A, Channel.CHAT, Set.of(OutputType.Raw)),
        A_VOICE(INSTANCE_A, Channel.VOICE, Set.of(OutputType.Raw, OutputType.Redacted)),
        A_VOICE_RAW(INSTANCE_A, Channel.VOICE, Set.of(OutputType.Raw)),
        A_MISSING(INSTANCE_A, null, Set.of()),
        B_CHAT(IamRuntime.INSTANCE_B, Channel.CHAT, Set.of(OutputType.Raw, OutputType.Redacted)),
        B_VOICE(IamRuntime.INSTANCE_B, Channel.VOICE, Set.of(OutputType.Raw, OutputType.Redacted)),
        B_MISSING(IamRuntime.INSTANCE_B, null, Set.of());

        final String instance;
        final Channel channel;
        final Set<OutputType> streams;

        Contact(String instance, Channel channel, Set<OutputType> streams) {
            this.instance = instance;
            this.channel = channel;
            this.streams = streams;
        }

        ContactKey key() {
            return new ContactKey(instance, name().toLowerCase() + "-" + RUN);
        }

        String arn() {
            return "arn:aws:connect:us-east-1:123456789012:instance/" + instance + "/contact/" + key().contactId();
        }
    }

    private static final String V1 = "connect:ListRealtimeContactAnalysisSegments";
    private static final String V2 = "connect:ListRealtimeContactAnalysisSegmentsV2";
    private static final List<String> TRANSCRIPT = List.of("Transcript");
    private static final List<String> ALL_TYPES = List.of("Transcript", "Categories", "Issues", "Event", "Attachments", "PostContactSummary");

    @BeforeAll
    static void writeContacts() {
        DynamoContactStore store = TestRuntime.shared().store();
        for (Contact contact : Contact.values()) {
            if (contact.channel == null) {
                continue;
            }
            store.open(contact.key(), contact.channel, contact.streams);
            for (OutputType stream : contact.streams) {
                // Each stream's first segment says which stream it is: t-1 Raw, t-2 Redacted.
                int n = stream == OutputType.Raw ? 1 : 2;
                store.append(contact.key(), contact.channel, stream, "seed-" + stream,
                        List.of(contact.channel == Channel.VOICE ? Samples.v1Transcript(n) : Samples.v2Transcript(n, "AGENT")));
            }
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // The supervisor dashboard (an assumed-role session; the role's policy): Redacted, one instance.
                v2(SUPERVISOR, Contact.A_CHAT, "Redacted", TRANSCRIPT, "OK"),
                v2(SUPERVISOR, Contact.A_CHAT, "Raw", TRANSCRIPT, "DENIED"),
                v2(SUPERVISOR, Contact.B_CHAT, "Redacted", TRANSCRIPT, "DENIED"),
                v1(SUPERVISOR, Contact.A_VOICE, "OK Redacted"),
                v1(SUPERVISOR, Contact.A_VOICE_RAW, "DENIED"),
                v2(SUPERVISOR, Contact.A_MISSING, "Redacted", TRANSCRIPT, "NOT_FOUND"),
                v2(SUPERVISOR, Contact.A_MISSING, "Raw", TRANSCRIPT, "DENIED"),
                v2(SUPERVISOR, Contact.B_MISSING, "Redacted", TRANSCRIPT, "DENIED"),
                v1(SUPERVISOR, Contact.A_MISSING, "DENIED"),
                // Another session of the same role: the same policy.
                v2(NIGHT_SHIFT, Contact.A_CHAT, "Redacted", TRANSCRIPT, "OK"),
                v2(NIGHT_SHIFT, Contact.A_CHAT, "Raw", TRANSCRIPT, "DENIED"),
                // The QA analyst: Raw and Redacted, every instance.
                v2(QA_ANALYST, Contact.A_CHAT, "Raw", ALL_TYPES, "OK"),
                v2(QA_ANALYST, Contact.B_CHAT, "Raw", TRANSCRIPT, "OK"),
                v2(QA_ANALYST, Contact.B_CHAT, "Redacted", TRANSCRIPT, "OK"),
                v2(QA_ANALYST, Contact.A_CHAT_RAW, "Redacted", TRANSCRIPT, "OUTPUT_TYPE_NOT_FOUND"),
                v1(QA_ANALYST, Contact.A_VOICE, "OK Redacted"),
                v1(QA_ANALYST, Contact.A_VOICE_RAW, "OK Raw"),
                v1(QA_ANALYST, Contact.B_VOICE, "OK Redacted"),
                v1(QA_ANALYST, Contact.A_MISSING, "NOT_FOUND"),
                // The tenant's integration: one instance, every output and segment type.
                v2(TENANT, Contact.A_CHAT, "Raw", ALL_TYPES, "OK"),
                v2(TENANT, Contact.A_CHAT, "Redacted", ALL_TYPES, "OK"),
                v1(TENANT, Contact.A_VOICE_RAW, "OK Raw"),
                v2(TENANT, Contact.B_CHAT, "Redacted", TRANSCRIPT, "DENIED"),
                v1(TENANT, Contact.B_VOICE, "DENIED"),
                v2(TENANT, Contact.B_MISSING, "Raw", TRANSCRIPT, "DENIED"),
                // No policy of their own, the deployment's account: the default (Redacted anywhere, never Raw).
                v2(DEVELOPER, Contact.A_CHAT, "Redacted", TRANSCRIPT, "OK"),
                v2(DEVELOPER, Contact.B_CHAT, "Redacted", TRANSCRIPT, "OK"),
                v2(DEVELOPER, Contact.A_CHAT, "Raw", TRANSCRIPT, "DENIED"),
                v1(DEVELOPER, Contact.A_VOICE, "OK Redacted"),
                v1(DEVELOPER, Contact.A_VOICE_RAW, "DENIED"),
                v2(UNLISTED_ROLE, Contact.A_CHAT, "Redacted", TRANSCRIPT, "OK"),
                v2(UNLISTED_ROLE, Contact.A_CHAT, "Raw", TRANSCRIPT, "DENIED"),
                // An own policy replaces the default, even an empty one.
                v2(NOTHING, Contact.A_CHAT, "Redacted", TRANSCRIPT, "DENIED"),
                // Another account: nothing without a policy; what its policy grants with one.
                v2(OUTSIDER, Contact.A_CHAT, "Redacted", TRANSCRIPT, "DENIED"),
                v1(OUTSIDER, Contact.A_VOICE, "DENIED"),
                v2(OUTSIDER, Contact.A_MISSING, "Redacted", TRANSCRIPT, "DENIED"),
                v2(PARTNER, Contact.A_CHAT, "Redacted", TRANSCRIPT, "OK"),
                v2(PARTNER, Contact.A_CHAT, "Raw", TRANSCRIPT, "DENIED"),
                v1(PARTNER, Contact.A_VOICE, "DENIED"),
                // Wildcards: actions case-insensitive, instance *, output type StringLike "Red*".
                v2(WILDCARD, Contact.A_CHAT, "Redacted", TRANSCRIPT, "OK"),
                v1(WILDCARD, Contact.B_VOICE, "OK Redacted"),
                v2(WILDCARD, Contact.A_CHAT, "Raw", TRANSCRIPT, "DENIED"),
                // SegmentTypes: ForAllValues (only these types) and ForAnyValue (at least this one).
                v2(TRANSCRIPTS, Contact.A_CHAT, "Raw", TRANSCRIPT, "OK"),
                v2(TRANSCRIPTS, Contact.A_CHAT, "Raw", List.of("Categories", "Transcript"), "OK"),
                v2(TRANSCRIPTS, Contact.A_CHAT, "Raw", List.of("Transcript", "Issues"), "DENIED"),
                v1(TRANSCRIPTS, Contact.A_VOICE, "DENIED"),
                v2(EVENTS, Contact.A_CHAT, "Raw", List.of("Event"), "OK"),
                v2(EVENTS, Contact.A_CHAT, "Raw", List.of("Transcript", "Event"), "OK"),
                v2(EVENTS, Contact.A_CHAT, "Raw", TRANSCRIPT, "DENIED"),
                // An explicit Deny wins over an Allow.
                v2(NO_RAW_IN_B, Contact.A_CHAT, "Raw", TRANSCRIPT, "OK"),
                v2(NO_RAW_IN_B, Contact.B_CHAT, "Raw", TRANSCRIPT, "DENIED"),
                v2(NO_RAW_IN_B, Contact.B_CHAT, "Redacted", TRANSCRIPT, "OK"),
                v1(NO_RAW_IN_B, Contact.B_VOICE, "OK Redacted"),
                v1(NO_RAW_IN_B, Contact.B_MISSING, "DENIED"),
                v1(NO_RAW_IN_B, Contact.A_MISSING, "NOT_FOUND"),
                // Per action.
                v2(V2_ONLY, Contact.A_CHAT, "Raw", TRANSCRIPT, "OK"),
                v1(V2_ONLY, Contact.A_VOICE, "DENIED"));
    }

    private static Arguments v2(Principal who, Contact contact, String outputType, List<String> types, String expected) {
        return Arguments.of(who, "V2", contact, outputType, types, expected);
    }

    private static Arguments v1(Principal who, Contact contact, String expected) {
        return Arguments.of(who, "V1", contact, null, List.of(), expected);
    }

    @ParameterizedTest(name = "{0} {1} {2} {3} {4} -> {5}")
    @MethodSource("cases")
    void callerGetsWhatThePoliciesSay(Principal who, String operation, Contact contact, String outputType, List<String> types,
                                      String expected) {
        String outcome;
        String action = operation.equals("V1") ? V1 : V2;
        try {
            outcome = operation.equals("V1") ? v1(who, contact) : v2(who, contact, outputType, types);
        } catch (AwsServiceException e) {
            outcome = switch (e.awsErrorDetails().errorCode()) {
                case "AccessDeniedException" -> {
                    assertEquals(403, e.statusCode());
                    assertEquals("User: " + who.arn() + " is not authorized to perform: " + action + " on resource: " + contact.arn(),
                            e.awsErrorDetails().errorMessage());
                    yield "DENIED";
                }
                case "ResourceNotFoundException" -> "NOT_FOUND";
                case "OutputTypeNotFoundException" -> "OUTPUT_TYPE_NOT_FOUND";
                default -> throw e;
            };
        }
        assertEquals(expected, outcome);
    }

    private static String v2(Principal who, Contact contact, String outputType, List<String> types) {
        try (ConnectClient connect = IAM.connect(who)) {
            connect.listRealtimeContactAnalysisSegmentsV2(r -> r.instanceId(contact.instance).contactId(contact.key().contactId())
                    .outputType(outputType).segmentTypesWithStrings(types));
            return "OK";
        }
    }

    private static String v1(Principal who, Contact contact) {
        try (ConnectContactLensClient lens = IAM.contactLens(who)) {
            ListRealtimeContactAnalysisSegmentsResponse page = lens.listRealtimeContactAnalysisSegments(r -> r
                    .instanceId(contact.instance).contactId(contact.key().contactId()));
            String first = page.segments().get(0).transcript().id();
            return "OK " + (first.equals("t-1") ? "Raw" : "Redacted");
        }
    }

    @Test
    void aDeniedCallerCannotTellAnExistingContactFromAMissingOne() {
        for (Principal who : List.of(OUTSIDER, SUPERVISOR)) {
            try (ConnectClient connect = IAM.connect(who)) {
                AccessDeniedException existing = assertThrows(AccessDeniedException.class, () -> connect
                        .listRealtimeContactAnalysisSegmentsV2(r -> r.instanceId(IamRuntime.INSTANCE_B)
                                .contactId(Contact.B_CHAT.key().contactId()).outputType("Redacted").segmentTypesWithStrings(TRANSCRIPT)));
                AccessDeniedException missing = assertThrows(AccessDeniedException.class, () -> connect
                        .listRealtimeContactAnalysisSegmentsV2(r -> r.instanceId(IamRuntime.INSTANCE_B)
                                .contactId(Contact.B_MISSING.key().contactId()).outputType("Redacted").segmentTypesWithStrings(TRANSCRIPT)));
                assertEquals(existing.statusCode(), missing.statusCode());
                assertEquals(existing.awsErrorDetails().errorMessage().replace(Contact.B_CHAT.key().contactId(), "C"),
                        missing.awsErrorDetails().errorMessage().replace(Contact.B_MISSING.key().contactId(), "C"));
                assertEquals(existing.awsErrorDetails().sdkHttpResponse().headers().keySet(),
                        missing.awsErrorDetails().sdkHttpResponse().headers().keySet());
            }
        }
    }

    @Test
    void theReadmeShowsThePoliciesThisSuiteTests() throws Exception {
        // The README's three roles are the documents of events/local-policies.json, which the rows above exercise.
        ObjectMapper json = new ObjectMapper();
        Set<JsonNode> shipped = new HashSet<>();
        json.readTree(Path.of("events/local-policies.json").toFile()).elements().forEachRemaining(shipped::add);
        Set<JsonNode> shown = new HashSet<>();
        Matcher block = Pattern.compile("```json\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(Path.of("README.md")));
        while (block.find()) {
            JsonNode node = json.readTree(block.group(1));
            if (node.has("Statement")) {
                shown.add(node);
            }
        }
        assertEquals(shipped, shown);
    }
}
