package io.lifeboat.bench;

import io.lifeboat.common.engine.postgres.wal.WalArchive;
import io.lifeboat.common.engine.postgres.wal.WalSegmentRef;
import io.lifeboat.common.repository.PackRepository;
import io.lifeboat.common.repository.Repositories;
import io.lifeboat.common.store.local.LocalObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies a cluster's whole WAL archive out of a local repository into a directory, as {@code wal-fetch}
 * would serve each file (a partial segment under its segment name when the complete one is missing),
 * so the RPO benchmark's recovery can use {@code restore_command = 'cp DIR/%f %p'} without the server's
 * OS user needing the repository. Usage: {@code WalExport REPO_DIR CLUSTER TARGET_DIR}; password in
 * {@code LIFEBOAT_PASSWORD}.
 */
public final class WalExport {
    private WalExport() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3 || System.getenv("LIFEBOAT_PASSWORD") == null) {
            System.err.println("usage: LIFEBOAT_PASSWORD=... WalExport REPO_DIR CLUSTER TARGET_DIR");
            System.exit(2);
        }
        Path target = Files.createDirectories(Path.of(args[2]));
        int files = 0;
        try (PackRepository repo = Repositories.open(new LocalObjectStore(Path.of(args[0])),
                System.getenv("LIFEBOAT_PASSWORD").toCharArray())) {
            WalArchive archive = WalArchive.open(repo, args[1]);
            for (WalSegmentRef ref : archive.list()) {
                byte[] data = archive.fetch(ref.segment()).orElseThrow();
                Files.write(target.resolve(ref.segment()), data);
                files++;
            }
            for (int tli : archive.historyTimelines()) {
                String name = String.format("%08X.history", tli);
                Files.write(target.resolve(name), archive.fetch(name).orElseThrow());
                files++;
            }
        }
        System.out.println(files);
    }
}
