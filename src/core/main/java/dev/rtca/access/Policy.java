package dev.rtca.access;

import dev.rtca.model.Json;
import dev.rtca.model.MalformedJsonException;
import java.util.ArrayList;
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
        Object document;
        try {
            document = Json.value(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (MalformedJsonException e) {
            throw new InvalidPolicyException("not JSON: " + e.getMessage());
        }
        if (!(document instanceof Map<?, ?> root)) {
            throw new InvalidPolicyException("a policy document is a JSON object");
        }
        for (Object name : root.keySet()) {
            if (!name.equals("Version") && !name.equals("Id") && !name.equals("Statement")) {
                throw new InvalidPolicyException("unsupported element " + name);
            }
        }
        if (root.containsKey("Version") && !(root.get("Version") instanceof String version
                && (version.equals("2012-10-17") || version.equals("2008-10-17")))) {
            throw new InvalidPolicyException("unknown Version " + root.get("Version"));
        }
        if (!root.containsKey("Statement")) {
            throw new InvalidPolicyException("Statement is required");
        }
        List<Statement> statements = new ArrayList<>();
        for (Object statement : elements(root.get("Statement"))) {
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

    private static Statement statement(Object element) {
        if (!(element instanceof Map<?, ?> node)) {
            throw new InvalidPolicyException("a statement is a JSON object");
        }
        for (Object name : node.keySet()) {
            if (!STATEMENT_MEMBERS.contains(name)) {
                throw new InvalidPolicyException("unsupported statement element " + name);
            }
        }
        Object effect = node.get("Effect");
        if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
            throw new InvalidPolicyException("Effect must be Allow or Deny");
        }
        Patterns actions = either(node, "Action", "NotAction", true);
        Patterns resources = either(node, "Resource", "NotResource", false);
        List<Condition> conditions = new ArrayList<>();
        if (node.containsKey("Condition")) {
            if (!(node.get("Condition") instanceof Map<?, ?> operators)) {
                throw new InvalidPolicyException("Condition is a JSON object");
            }
            for (Map.Entry<?, ?> operator : operators.entrySet()) {
                if (!(operator.getValue() instanceof Map<?, ?> keys)) {
                    throw new InvalidPolicyException("condition operator " + operator.getKey() + " takes an object of keys");
                }
                for (Map.Entry<?, ?> key : keys.entrySet()) {
                    conditions.add(Condition.of((String) operator.getKey(), (String) key.getKey(),
                            strings(key.getValue(), "condition values")));
                }
            }
        }
        return new Statement(effect.equals("Allow"), actions, resources, conditions);
    }

    /** The element or its Not-form (exactly one), as patterns. */
    private static Patterns either(Map<?, ?> node, String positive, String negative, boolean ignoreCase) {
        boolean yes = node.containsKey(positive);
        boolean no = node.containsKey(negative);
        if (yes == no) {
            throw new InvalidPolicyException("a statement has exactly one of " + positive + " and " + negative);
        }
        return new Patterns(strings(node.get(yes ? positive : negative), positive), no, ignoreCase);
    }

    /** A string (a number or a boolean read as its text) or an array of them. */
    private static List<String> strings(Object value, String what) {
        List<String> out = new ArrayList<>();
        for (Object element : elements(value)) {
            if (!(element instanceof String) && !(element instanceof Boolean)) {
                throw new InvalidPolicyException(what + " are strings");
            }
            out.add(element.toString());
        }
        if (out.isEmpty()) {
            throw new InvalidPolicyException(what + " must not be empty");
        }
        return out;
    }

    /** An array's elements, or a single value as one element. */
    private static List<?> elements(Object value) {
        return value instanceof List<?> list ? list : java.util.Collections.singletonList(value);
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
