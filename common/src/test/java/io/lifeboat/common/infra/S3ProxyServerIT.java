package io.lifeboat.common.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lifeboat.testing.LocalInfra;
import io.lifeboat.testing.LocalInfraExtension;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

@ExtendWith(LocalInfraExtension.class)
class S3ProxyServerIT {

    private static final int PART = 5 * 1024 * 1024;

    private static S3Client client(LocalInfra infra, String secret) {
        return S3Client.builder()
                .endpointOverride(infra.s3Endpoint())
                .region(Region.of(infra.s3Region()))
                .forcePathStyle(true)
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(infra.s3AccessKey(), secret)))
                .build();
    }

    @Test
    void multipartUploadThenRangedGet(LocalInfra infra) {
        byte[] data = new byte[PART + 1_000_003];
        new Random(42).nextBytes(data);
        String key = "infra-it/" + UUID.randomUUID() + ".bin";
        try (S3Client s3 = client(infra, infra.s3SecretKey())) {
            String uploadId = s3.createMultipartUpload(b -> b.bucket(infra.s3Bucket()).key(key)).uploadId();
            List<CompletedPart> parts = new ArrayList<>();
            int number = 1;
            for (int offset = 0; offset < data.length; offset += PART, number++) {
                byte[] slice = Arrays.copyOfRange(data, offset, Math.min(data.length, offset + PART));
                int n = number;
                String etag = s3.uploadPart(b -> b.bucket(infra.s3Bucket()).key(key).uploadId(uploadId).partNumber(n),
                        RequestBody.fromBytes(slice)).eTag();
                parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(infra.s3Bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));

            assertThat(s3.headObject(b -> b.bucket(infra.s3Bucket()).key(key)).contentLength())
                    .isEqualTo(data.length);
            int from = PART - 17;
            int to = PART + 99;   // inclusive; spans the part boundary
            byte[] range = s3.getObjectAsBytes(b -> b.bucket(infra.s3Bucket()).key(key)
                    .range("bytes=" + from + "-" + to)).asByteArray();
            assertThat(range).isEqualTo(Arrays.copyOfRange(data, from, to + 1));

            s3.deleteObject(b -> b.bucket(infra.s3Bucket()).key(key));
        }
    }

    @Test
    void wrongSecretIsRefused(LocalInfra infra) {
        try (S3Client s3 = client(infra, infra.s3SecretKey() + "x")) {
            assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket(infra.s3Bucket())))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }
}
