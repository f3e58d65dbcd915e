package dev.rtca.access;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rtca.model.Json;
import dev.rtca.model.MalformedJsonException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An IAM identity-based policy document, in the grammar IAM users already write: statements with {@code Effect}
 * (Allow or Deny), {@code Action} or {@code NotAction}, {@code Resource} or {@code NotResource}, and an optional
 * {@code Condition}. Actions match case-insensitively, resources case-sensitively, both with {@code *} and
 * {@code ?} wildcards. Condition operators: {@code StringEquals}, {@code StringNotEquals},
 * {@code StringEqualsIgnoreCase}, {@code StringNotEqualsIgnoreCase}, {@code StringLike}, {@code StringNotLike} (each
 * with an optional {@code IfExists} suffix and {@code ForAllValues:} / {@code ForAnyValue:} set qualifiers) and
 * {@code Null}. Anything else ({@code Principal}, policy variables aside, an unknown operator) makes the document
 * invalid: a policy that cannot be read allows nothing.
 */
public final class Policy {
    private static final Set<String> STATEMENT_MEMBERS = Set.of("Sid", "Effect", "Action", "NotAction", "Resource",
            "NotResource", "Condition");

    private final List<Statement> statements;

    private Policy(List<Statement> statements) {
        this.statements = List.copyOf(statements);
    }

    /** Parses a policy document; a document outside the grammar is {@link InvalidPolicyException} naming the fault. */
    public static Policy parse(String json) {
        JsonNode root;
        try {
            root = Json.tree(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (MalformedJsonException e) {
            throw new InvalidPolicyException("not JSON: " + e.getMessage());
        }
        if (!root.isObject()) {
            throw new InvalidPolicyException("a policy document is a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("Version") && !name.equals("Id") && !name.equals("Statement")) {
                throw new InvalidPolicyException("unsupported element " + name);
            }
        }
        JsonNode version = root.get("Version");
        if (version != null && !Set.of("2012-10-17", "2008-10-17").contains(version.asText())) {
            throw new InvalidPolicyException("unknown Version " + version.asText());
        }
        JsonNode statementNode = root.get("Statement");
        if (statementNode == null) {
            throw new InvalidPolicyException("Statement is required");
        }
        List<Statement> statements = new ArrayList<>();
        for (JsonNode statement : statementNode.isArray() ? statementNode : List.of(statementNode)) {
            statements.add(statement(statement));
        }
        return new Policy(statements);
    }

    /** What this document says about a request: explicit deny wins over allow; nothing matching is an implicit deny. */
    public Decision evaluate(AccessRequest request) {
        boolean allowed = false;
        for (Statement statement : statements) {
            if (statement.applies(request)) {
                if (!statement.allow()) {
                    return Decision.EXPLICIT_DENY;
                }
                allowed = true;
            }
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    private static Statement statement(JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidPolicyException("a statement is a JSON object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!STATEMENT_MEMBERS.contains(name)) {
                throw new InvalidPolicyException("unsupported statement element " + name);
            }
        }
        String effect = node.path("Effect").asText("");
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw new InvalidPolicyException("Effect must be Allow or Deny");
        }
        Patterns actions = either(node, "Action", "NotAction", true);
        Patterns resources = either(node, "Resource", "NotResource", false);
        List<Condition> conditions = new ArrayList<>();
        JsonNode conditionNode = node.get("Condition");
        if (conditionNode != null) {
            if (!conditionNode.isObject()) {
                throw new InvalidPolicyException("Condition is a JSON object");
            }
            for (Iterator<Map.Entry<String, JsonNode>> operators = conditionNode.fields(); operators.hasNext(); ) {
                Map.Entry<String, JsonNode> operator = operators.next();
                if (!operator.getValue().isObject()) {
                    throw new InvalidPolicyException("condition operator " + operator.getKey() + " takes an object of keys");
                }
                for (Iterator<Map.Entry<String, JsonNode>> keys = operator.getValue().fields(); keys.hasNext(); ) {
                    Map.Entry<String, JsonNode> key = keys.next();
                    conditions.add(Condition.of(operator.getKey(), key.getKey(), strings(key.getValue(), "condition values")));
                }
            }
        }
        return new Statement(effect.equals("Allow"), actions, resources, conditions);
    }

    /** The element or its Not-form (exactly one), as patterns. */
    private static Patterns either(JsonNode node, String positive, String negative, boolean ignoreCase) {
        JsonNode yes = node.get(positive);
        JsonNode no = node.get(negative);
        if ((yes == null) == (no == null)) {
            throw new InvalidPolicyException("a statement has exactly one of " + positive + " and " + negative);
        }
        return new Patterns(strings(yes != null ? yes : no, positive), no != null, ignoreCase);
    }

    private static List<String> strings(JsonNode node, String what) {
        List<String> out = new ArrayList<>();
        for (JsonNode value : node.isArray() ? node : List.of(node)) {
            if (!value.isTextual() && !value.isBoolean() && !value.isNumber()) {
                throw new InvalidPolicyException(what + " are strings");
            }
            out.add(value.asText());
        }
        if (out.isEmpty()) {
            throw new InvalidPolicyException(what + " must not be empty");
        }
        return out;
    }

    private record Statement(boolean allow, Patterns actions, Patterns resources, List<Condition> conditions) {
        boolean applies(AccessRequest request) {
            return actions.matches(request.action()) && resources.matches(request.resource())
                    && conditions.stream().allMatch(c -> c.holds(request.context()));
        }
    }

    /** Action or Resource patterns (or their Not-forms). */
    private record Patterns(List<String> patterns, boolean negated, boolean ignoreCase) {
        boolean matches(String value) {
            boolean any = patterns.stream().anyMatch(p -> Wildcards.matches(p, value, ignoreCase));
            return any != negated;
        }
    }

    /** One condition key under one operator: the statement applies only when it holds. */
    private record Condition(String operator, boolean forAll, boolean forAny, boolean ifExists, String key, List<String> values) {

        static Condition of(String name, String key, List<String> values) {
            boolean forAll = name.startsWith("ForAllValues:");
            boolean forAny = name.startsWith("ForAnyValue:");
            String operator = forAll || forAny ? name.substring(name.indexOf(':') + 1) : name;
            boolean ifExists = operator.endsWith("IfExists");
            if (ifExists) {
                operator = operator.substring(0, operator.length() - "IfExists".length());
            }
            Set<String> known = Set.of("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
                    "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike", "Null");
            if (!known.contains(operator) || (operator.equals("Null") && (forAll || forAny || ifExists))) {
                throw new InvalidPolicyException("unsupported condition operator " + name);
            }
            return new Condition(operator, forAll, forAny, ifExists, key.toLowerCase(Locale.ROOT), values);
        }

        boolean holds(Map<String, List<String>> context) {
            List<String> present = context.get(key);
            boolean absent = present == null || present.isEmpty();
            if (operator.equals("Null")) {
                return values.stream().anyMatch(v -> Boolean.parseBoolean(v) == absent);
            }
            if (forAll) {
                return absent || present.stream().allMatch(this::matchesOne);
            }
            if (forAny) {
                return !absent && present.stream().anyMatch(this::matchesOne);
            }
            if (absent) {
                return ifExists || negated(); // a negated operator holds when the key is missing, as in IAM
            }
            // A single-valued operator on a multivalued key holds when any value matches (set operators are clearer).
            return present.stream().anyMatch(this::matchesOne);
        }

        private boolean negated() {
            return operator.contains("Not");
        }

        /** Whether one request value satisfies the operator against the condition's values (ORed). */
        private boolean matchesOne(String value) {
            boolean ignoreCase = operator.endsWith("IgnoreCase");
            boolean like = operator.endsWith("Like");
            boolean any = values.stream().anyMatch(v -> like ? Wildcards.matches(v, value, false)
                    : ignoreCase ? v.equalsIgnoreCase(value) : v.equals(value));
            return any != negated();
        }
    }
}
