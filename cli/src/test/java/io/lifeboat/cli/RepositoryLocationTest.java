package io.lifeboat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RepositoryLocationTest {
    @Test
    void parsesLocalForms() {
        assertThat(RepositoryLocation.parse("/srv/backup")).isEqualTo(new RepositoryLocation.Local(Path.of("/srv/backup")));
        assertThat(RepositoryLocation.parse("local:/srv/backup/")).isEqualTo(new RepositoryLocation.Local(Path.of("/srv/backup")));
        assertThat(RepositoryLocation.parse("rel/dir")).isEqualTo(
            new RepositoryLocation.Local(Path.of("rel/dir").toAbsolutePath()));
        assertThat(RepositoryLocation.parse("./a:b")).isInstanceOf(RepositoryLocation.Local.class);
    }

    @Test
    void parsesS3() {
        assertThat(RepositoryLocation.parse("s3:bucket/some/prefix/")).isEqualTo(new RepositoryLocation.S3("bucket", "some/prefix"));
        assertThat(RepositoryLocation.parse("s3://bucket")).isEqualTo(new RepositoryLocation.S3("bucket", ""));
    }

    @Test
    void rejectsBadValues() {
        assertThatThrownBy(() -> RepositoryLocation.parse("")).hasMessageContaining("no repository given");
        assertThatThrownBy(() -> RepositoryLocation.parse("gs:bucket")).hasMessageContaining("unsupported repository scheme 'gs'");
        assertThatThrownBy(() -> RepositoryLocation.parse("s3:")).hasMessageContaining("bucket");
        assertThatThrownBy(() -> RepositoryLocation.parse("local:")).hasMessageContaining("path");
    }
}
