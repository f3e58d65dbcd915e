package dev.rtca.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Records what a DynamoDB client sends, at the SDK's own level (what the store's calls and transactions really
 * send): requests by type, reads that did not ask for strong consistency, and cancelled
 * transactions (the sign that writers contended). It can also hold the first transaction of several threads
 * until all of them have read, so that concurrent writers certainly collide.
 */
public final class DynamoCalls implements ExecutionInterceptor {
    private final List<SdkRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger cancelled = new AtomicInteger();
    private final Set<Thread> released = ConcurrentHashMap.newKeySet();
    private volatile CyclicBarrier rendezvous;

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        requests.add(context.request());
        CyclicBarrier barrier = rendezvous;
        if (barrier != null && context.request() instanceof TransactWriteItemsRequest && released.add(Thread.currentThread())) {
            try {
                barrier.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (BrokenBarrierException | TimeoutException e) {
                // a thread that never writes must not hold the others forever
            }
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.exception() instanceof TransactionCanceledException) {
            cancelled.incrementAndGet();
        }
    }

    /** The first transaction of each of {@code threads} threads waits until all of them are about to write. */
    public void rendezvousAtFirstTransaction(int threads) {
        released.clear();
        rendezvous = new CyclicBarrier(threads);
    }

    public int count(Class<? extends SdkRequest> type) {
        return requests(type).size();
    }

    /** The requests of one type sent so far, in order. */
    public <T extends SdkRequest> List<T> requests(Class<T> type) {
        return requests.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public int reads() {
        return count(GetItemRequest.class) + count(QueryRequest.class) + count(ScanRequest.class);
    }

    /** Reads that did not ask for strong consistency, described. */
    public List<String> eventuallyConsistentReads() {
        List<String> out = new ArrayList<>();
        for (SdkRequest request : requests) {
            Boolean consistent = switch (request) {
                case GetItemRequest get -> get.consistentRead();
                case QueryRequest query -> query.consistentRead();
                case ScanRequest scan -> scan.consistentRead();
                default -> Boolean.TRUE;
            };
            if (!Boolean.TRUE.equals(consistent)) {
                out.add(request.getClass().getSimpleName() + " " + request);
            }
        }
        return out;
    }

    /**
     * Items a transaction acted on more than once, described. DynamoDB rejects such a transaction (ValidationException);
     * DynamoDB Local runs it, so the requests themselves are checked.
     */
    public List<String> itemsActedOnTwiceInOneTransaction() {
        List<String> out = new ArrayList<>();
        for (SdkRequest request : requests) {
            if (request instanceof TransactWriteItemsRequest transaction) {
                Set<Object> keys = new java.util.HashSet<>();
                for (var action : transaction.transactItems()) {
                    Object key = action.put() != null
                            ? List.of(action.put().tableName(), action.put().item().get("pk"), action.put().item().get("sk"))
                            : action.update() != null ? List.of(action.update().tableName(), action.update().key())
                            : action.delete() != null ? List.of(action.delete().tableName(), action.delete().key())
                            : List.of(action.conditionCheck().tableName(), action.conditionCheck().key());
                    if (!keys.add(key)) {
                        out.add(key.toString());
                    }
                }
            }
        }
        return out;
    }

    public int cancelledTransactions() {
        return cancelled.get();
    }

    public void reset() {
        requests.clear();
        cancelled.set(0);
    }
}
