package io.lifeboat.common.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing a table's archive entries from real pg_restore --list output (PostgreSQL 15). */
class PostgresRestoreListTest {
    private static final String LISTING = """
        ;
        ; Archive created at 2026-11-23 02:47:19 UTC
        ;     dbname: shop
        ;
        ; Selected TOC Entries:
        ;
        6; 2615 16676 SCHEMA - s lifeboat
        219; 1255 16699 FUNCTION s f() lifeboat
        218; 1259 16685 TABLE s a b lifeboat
        3365; 0 0 COMMENT s TABLE "a b" lifeboat
        3366; 0 0 COMMENT s COLUMN "a b".v lifeboat
        3367; 0 0 ACL s TABLE "a b" lifeboat
        217; 1259 16684 SEQUENCE s a b_id_seq lifeboat
        300; 1259 16800 TABLE s a lifeboat
        216; 1259 16678 TABLE s c lifeboat
        215; 1259 16677 SEQUENCE s c_id_seq lifeboat
        3368; 0 0 SEQUENCE OWNED BY s c_id_seq lifeboat
        3204; 2604 16681 DEFAULT s c id lifeboat
        3358; 0 16685 TABLE DATA s a b lifeboat
        3359; 0 16800 TABLE DATA s a lifeboat
        3356; 0 16678 TABLE DATA s c lifeboat
        3369; 0 0 SEQUENCE SET s a b_id_seq lifeboat
        3370; 0 0 SEQUENCE SET s c_id_seq lifeboat
        3209; 2606 16692 CONSTRAINT s a b a b_pkey lifeboat
        3207; 2606 16683 CONSTRAINT s c c_pkey lifeboat
        3210; 1259 16698 INDEX s a_v_idx lifeboat
        3212; 2620 16700 TRIGGER s a b trg lifeboat
        3211; 2606 16693 FK CONSTRAINT s a b a b_cid_fkey lifeboat
        """;

    private static PostgresManifest.TableStats ab() {
        return new PostgresManifest.TableStats("s", "a b", 1, "0", new PostgresManifest.Dependents(List.of("a_v_idx"),
            List.of("a b_pkey"), List.of(new PostgresManifest.ForeignKey("a b_cid_fkey", "s", "c")), List.of("trg"),
            List.of(), List.of("a b_id_seq")));
    }

    @Test
    void tableWithItsDependentsInArchiveOrderAndNothingOfATableWhoseNameIsAPrefix() {
        PgRestoreList.Selection sel = PgRestoreList.select(LISTING, List.of(ab()), q -> q.equals("s.c"));
        assertThat(sel.lines()).extracting(l -> l.substring(0, l.indexOf(';'))).containsExactly("218", "3365", "3366",
            "3367", "217", "3358", "3369", "3209", "3210", "3212", "3211");
        assertThat(sel.skipped()).isEmpty();
    }

    @Test
    void foreignKeyToATableMissingFromTheTargetIsLeftOutWithANote() {
        PgRestoreList.Selection sel = PgRestoreList.select(LISTING, List.of(ab()), q -> false);
        assertThat(sel.lines()).noneMatch(l -> l.contains("FK CONSTRAINT"));
        assertThat(sel.skipped()).singleElement().asString()
            .isEqualTo("foreign key a b_cid_fkey of s.a b not restored: it references s.c, which is not in the target");
    }

    @Test
    void serialTableBringsItsSequenceAndDefault() {
        PostgresManifest.TableStats c = new PostgresManifest.TableStats("s", "c", 1, "0",
            new PostgresManifest.Dependents(List.of(), List.of("c_pkey"), List.of(), List.of(), List.of("id"),
                List.of("c_id_seq")));
        assertThat(PgRestoreList.select(LISTING, List.of(c), q -> true).lines())
            .extracting(l -> l.substring(0, l.indexOf(';')))
            .containsExactly("216", "215", "3368", "3204", "3356", "3370", "3207");
    }

    @Test
    void malformedOrForeignListingsSelectNothing() {
        for (String bad : List.of("", ";", "garbage", "218 1259 16685 TABLE s a b lifeboat", "x; 1 2 TABLE s a b o",
                "218; 1259 TABLE s a b lifeboat", "\u0000\n;\n\n")) {
            assertThat(PgRestoreList.select(bad, List.of(ab()), q -> true).lines()).as(bad).isEmpty();
        }
    }
}
