package io.lifeboat.common.store.s3;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/** Records every HTTP request as signed and sent, so tests can assert on its headers. */
final class RecordingInterceptor implements ExecutionInterceptor {
    final List<SdkHttpRequest> requests = new CopyOnWriteArrayList<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        requests.add(context.httpRequest());
    }

    /** Requests with the given method whose path ends with {@code suffix} (query ignored). */
    List<SdkHttpRequest> matching(String method, String suffix) {
        return requests.stream()
                .filter(r -> r.method().name().equals(method) && r.encodedPath().endsWith(suffix))
                .toList();
    }
}
