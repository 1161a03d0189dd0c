
-- Times are kept in UTC (`2026-11-30T17:30:00Z`) from here on, so that comparing two as
-- text (leases, sessions, the outbox's next attempt) compares the instants whatever zone
-- the office is in; the program shows them in the profile's zone. Existing rows written
-- with a local offset are converted. The three tables whose rows may never change lose
-- their guard for this one statement each and get it back, word for word.
DROP TRIGGER riwayat_tidak_diubah;
DROP TRIGGER surat_tetap;
DROP TRIGGER laporan_tetap;
UPDATE permohonan SET
    dibuat = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', dibuat), dibuat);
UPDATE berkas SET
    diperbarui = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', diperbarui), diperbarui);
UPDATE riwayat SET
    waktu = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', waktu), waktu);
UPDATE surat SET
    dibuat = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', dibuat), dibuat),
    batal_waktu = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', batal_waktu), batal_waktu);
UPDATE laporan SET
    dibuat = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', dibuat), dibuat);
UPDATE surel SET
    berikutnya = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', berikutnya), berikutnya),
    klaim_sampai = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', klaim_sampai), klaim_sampai),
    dibuat = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', dibuat), dibuat),
    terkirim = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', terkirim), terkirim);
UPDATE jalan SET
    mulai = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', mulai), mulai),
    klaim_sampai = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', klaim_sampai), klaim_sampai),
    selesai = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', selesai), selesai);
UPDATE pengguna SET
    kunci_sampai = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', kunci_sampai), kunci_sampai),
    dibuat = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', dibuat), dibuat),
    diubah = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', diubah), diubah);
UPDATE sesi SET
    dibuat = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', dibuat), dibuat),
    berakhir = coalesce(strftime('%Y-%m-%dT%H:%M:%SZ', berakhir), berakhir);

CREATE TRIGGER riwayat_tidak_diubah BEFORE UPDATE ON riwayat
BEGIN SELECT RAISE(ABORT, 'riwayat permohonan tidak boleh diubah'); END;
CREATE TRIGGER surat_tetap BEFORE UPDATE ON surat
WHEN OLD.batal_waktu IS NOT NULL
  OR NEW.id IS NOT OLD.id OR NEW.permohonan_id IS NOT OLD.permohonan_id
  OR NEW.tahun IS NOT OLD.tahun OR NEW.lingkup IS NOT OLD.lingkup OR NEW.urut IS NOT OLD.urut
  OR NEW.nomor IS NOT OLD.nomor OR NEW.kode_verifikasi IS NOT OLD.kode_verifikasi
  OR NEW.tanggal IS NOT OLD.tanggal OR NEW.jenis IS NOT OLD.jenis
  OR NEW.penanda_tangan IS NOT OLD.penanda_tangan OR NEW.data IS NOT OLD.data
  OR NEW.sha256 IS NOT OLD.sha256 OR NEW.berkas IS NOT OLD.berkas OR NEW.dibuat IS NOT OLD.dibuat
  OR NEW.batal_waktu IS NULL OR NEW.batal_oleh IS NULL
  OR length(trim(coalesce(NEW.batal_alasan, ''))) = 0
BEGIN SELECT RAISE(ABORT, 'surat yang terbit tidak boleh diubah; hanya dapat dibatalkan sekali dengan alasan'); END;
CREATE TRIGGER laporan_tetap BEFORE UPDATE ON laporan
BEGIN SELECT RAISE(ABORT, 'catatan laporan tidak boleh diubah'); END;
