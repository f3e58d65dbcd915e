package dev.rtca.local;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Makes DynamoDB Local show what DynamoDB may: a Query that runs while a TransactWriteItems commits can return some
 * of the transaction's items and not others, because Query is only read-committed against transactions (GetItem
 * is serializable). DynamoDB Local applies a transaction at once, so this double remembers each transaction's
 * segment items and when it ran, and a Query whose run overlapped a transaction loses a random part of that
 * transaction's items from its response. GetItem is left alone. Queries and transactions get a little latency so
 * that they overlap often. Put it on the client of both the writers and the readers.
 *
 * <p>Once a transaction's effect has been observed (a Query returned one of its items, or a GetItem returned the
 * contact's counter past it), it had committed: a read that starts after that sees all of it, as in DynamoDB.
 */
public final class PartialVisibility implements ExecutionInterceptor {
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("rtca.partialVisibility.started");
    private static final long REMEMBER_NANOS = 2_000_000_000L;

    /**
     * A transaction's segment keys ("pk sk"), its partition, stream prefix and last sequence, the time it ran as the
     * client saw it, and when its effect was first observed.
     */
    private record Transaction(long start, long end, Set<String> keys, String pk, String counter, long lastSequence,
                               AtomicLong observed) {
        boolean racing(long readStart, long readEnd) {
            return end > readStart && start < readEnd && readStart < observed.get();
        }
    }

    private final List<Transaction> recent = new CopyOnWriteArrayList<>();
    private final AtomicInteger hidden = new AtomicInteger();
    private final AtomicInteger holes = new AtomicInteger();
    private final Random random;

    public PartialVisibility(long seed) {
        this.random = new Random(seed);
    }

    /** How many segment items a Query did not see although their transaction had, or was about to, commit. */
    public int hidden() {
        return hidden.get();
    }

    /** How many Query responses had a hole: an item hidden and a later item of the same response shown. */
    public int holes() {
        return holes.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
        if (context.request() instanceof QueryRequest || context.request() instanceof TransactWriteItemsRequest) {
            jitter();
        }
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof TransactWriteItemsRequest transaction) {
            Set<String> keys = new HashSet<>();
            String pk = null;
            String counter = null;
            long last = -1;
            for (TransactWriteItem item : transaction.transactItems()) {
                if (item.put() != null && item.put().item().get("sk").s().startsWith("S#")) {
                    String sk = item.put().item().get("sk").s();
                    keys.add(key(item.put().item()));
                    pk = item.put().item().get("pk").s();
                    counter = sk.startsWith("S#Raw#") ? "nextRaw" : "nextRedacted";
                    last = Math.max(last, Long.parseLong(sk.substring(sk.lastIndexOf('#') + 1)));
                }
            }
            long now = System.nanoTime();
            recent.removeIf(t -> t.end() < now - REMEMBER_NANOS);
            if (!keys.isEmpty()) {
                recent.add(new Transaction(attributes.getAttribute(STARTED), now, keys, pk, counter, last,
                        new AtomicLong(Long.MAX_VALUE)));
            }
        }
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        long now = System.nanoTime();
        if (context.response() instanceof GetItemResponse get && get.hasItem()) {
            // The contact's counter covers a transaction: it had committed by now.
            for (Transaction transaction : recent) {
                AttributeValue counter = get.item().get(transaction.counter());
                if (transaction.pk().equals(get.item().get("pk").s()) && counter != null
                        && Long.parseLong(counter.n()) > transaction.lastSequence()) {
                    transaction.observed().accumulateAndGet(now, Math::min);
                }
            }
            return get;
        }
        if (!(context.response() instanceof QueryResponse response)) {
            return context.response();
        }
        long start = attributes.getAttribute(STARTED);
        List<Transaction> racing = recent.stream().filter(t -> t.racing(start, now)).toList();
        List<Map<String, AttributeValue>> seen = new ArrayList<>();
        boolean hiddenBefore = false;
        boolean hole = false;
        for (Map<String, AttributeValue> item : response.items()) {
            Transaction owner = racing.stream().filter(t -> t.keys().contains(key(item))).findFirst().orElse(null);
            if (owner != null && coin()) {
                hidden.incrementAndGet();
                hiddenBefore = true;
            } else {
                seen.add(item);
                hole |= hiddenBefore;
                if (owner != null) {
                    owner.observed().accumulateAndGet(now, Math::min); // one of its items was returned: committed
                }
            }
        }
        if (hole) {
            holes.incrementAndGet();
        }
        return racing.isEmpty() ? response : response.toBuilder().items(seen).count(seen.size()).build();
    }

    private static String key(Map<String, AttributeValue> item) {
        return item.get("pk").s() + " " + item.get("sk").s();
    }

    private synchronized boolean coin() {
        return random.nextBoolean();
    }

    private void jitter() {
        int micros;
        synchronized (this) {
            micros = random.nextInt(3_000);
        }
        try {
            Thread.sleep(micros / 1000, (micros % 1000) * 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
