package dev.rtca.ingest;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/**
 * A {@link DynamoDbClient} (a {@link Proxy} over the interface) that passes every call to DynamoDB Local and
 * fails exactly one data call, the {@code failAt}-th (1-based) among those it counts: either before the
 * call reaches the table, or after it was applied (the response is lost, as on a timeout).
 */
final class FaultyDynamo implements InvocationHandler {
    enum When { BEFORE, AFTER }

    private static final Set<String> DATA_CALLS = Set.of("getItem", "putItem", "updateItem", "deleteItem", "query",
            "scan", "transactWriteItems", "transactGetItems", "batchGetItem", "batchWriteItem");

    private final DynamoDbClient delegate;
    private final Set<String> counted;
    private final int failAt;
    private final When when;
    private final IntFunction<RuntimeException> fault;
    private final String mentioning; // counts only calls whose request names this (a contact ID), or all when null
    private final AtomicInteger calls = new AtomicInteger();
    private volatile boolean fired;

    private FaultyDynamo(DynamoDbClient delegate, Set<String> counted, int failAt, When when, IntFunction<RuntimeException> fault) {
        this(delegate, counted, failAt, when, fault, null);
    }

    private FaultyDynamo(DynamoDbClient delegate, Set<String> counted, int failAt, When when, IntFunction<RuntimeException> fault,
                         String mentioning) {
        this.delegate = delegate;
        this.counted = counted;
        this.failAt = failAt;
        this.when = when;
        this.fault = fault;
        this.mentioning = mentioning;
    }

    /** Fails the {@code failAt}-th data call (0: never fails, only counts). */
    static FaultyDynamo failing(int failAt, When when) {
        return new FaultyDynamo(TestStores.client(), DATA_CALLS, failAt, when, FaultyDynamo::rotating);
    }

    /** Fails the {@code failAt}-th call of one operation, e.g. the second transactWriteItems. */
    static FaultyDynamo failingOperation(String operation, int failAt, When when) {
        return new FaultyDynamo(TestStores.client(), Set.of(operation), failAt, when, FaultyDynamo::rotating);
    }

    /**
     * Fails the {@code failAt}-th call of one operation among those for one contact: a writer applies different
     * contacts side by side, so only a count within one contact names the same call every run.
     */
    static FaultyDynamo failingOperationOn(String operation, String contactId, int failAt, When when) {
        return new FaultyDynamo(TestStores.client(), Set.of(operation), failAt, when, FaultyDynamo::rotating, contactId);
    }

    /** Throttles the {@code failAt}-th call of one operation. */
    static FaultyDynamo throttling(String operation, int failAt) {
        return new FaultyDynamo(TestStores.client(), Set.of(operation), failAt, When.BEFORE, n ->
                ProvisionedThroughputExceededException.builder().message("injected throttling on call " + n).statusCode(400).build());
    }

    DynamoDbClient client() {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, this);
    }

    /** Data calls seen so far. */
    int calls() {
        return calls.get();
    }

    boolean fired() {
        return fired;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "FaultyDynamo(failAt=" + failAt + ", " + when + ")";
            };
        }
        if ("close".equals(method.getName())) {
            return null; // the delegate is shared
        }
        if (method.getName().endsWith("Paginator")) {
            // A paginator (the Enhanced client's queries) makes its calls through this proxy, so they are counted too.
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        boolean mentions = mentioning == null || (args != null && args.length == 1 && String.valueOf(args[0]).contains(mentioning));
        int n = counted.contains(method.getName()) && mentions ? calls.incrementAndGet() : -1;
        if (n == failAt && when == When.BEFORE) {
            fired = true;
            throw fault.apply(n);
        }
        Object result;
        try {
            result = method.invoke(delegate, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (n == failAt && when == When.AFTER) {
            fired = true;
            throw fault.apply(n);
        }
        return result;
    }

    /** The failures DynamoDB clients see, in turn: throttling, a server error, a lost response. */
    private static RuntimeException rotating(int n) {
        String message = "injected fault on call " + n;
        return switch (n % 3) {
            case 0 -> ProvisionedThroughputExceededException.builder().message(message).statusCode(400).build();
            case 1 -> DynamoDbException.builder().message(message).statusCode(500).build();
            default -> SdkClientException.create(message);
        };
    }
}
