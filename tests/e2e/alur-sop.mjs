// The web page in a real headless Chromium, run by tests/integration/browser.rs:
//   node alur-sop.mjs http://127.0.0.1:PORT SURAT.pdf
//
// 1. One request through the whole SOP at desktop width, each role logged in in turn:
//    the Operator takes it from the form, the Kasi passes it on, the Koordinator issues
//    and downloads the letter and reports it, the Seklur reports to the Lurah, the Lurah
//    sees it.
// 2. Every page a clerk uses, at phone width (390 × 844) and at desktop width
//    (1366 × 768): no page wider than the screen; a request whose papers are not all
//    ticked offers no accept button; a refused request shows its reason on screen; a
//    step out of turn ends on an error page with the menu and the way back. The
//    Operator's worklist (sixty older requests wait) is shown fifty at a time with a link
//    to the next page; a register search shows its first result whole on a phone's first
//    screen, its other filters folded under "Saring"; dates are typed day first; the file
//    button is the page's own.
// 3. In an English browser, the new-request form's dates and the import form's file
//    button still read Indonesian.
//
// With KELURAHAN_SHOTS=/tmp/shots every page visited is also saved there as a picture
// (`ponsel-…png`, `desktop-…png`), to look at; nothing is written into the repository.
import { chromium } from 'playwright-core';
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const [base, pdfPath] = process.argv.slice(2);
const shots = process.env.KELURAHAN_SHOTS || '';
if (shots) await mkdir(shots, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.KELURAHAN_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // The machine has no internet: without these Chromium keeps trying to reach it.
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});

const DESKTOP = { nama: 'desktop', viewport: { width: 1366, height: 768 }, isMobile: false };
// A phone as a phone: the page's own viewport tag decides its width, as on a real one.
const PONSEL = { nama: 'ponsel', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

const AKUN = {
  operator: ['Rina Operator', 'sandi-operator-1'],
  kasi: ['Bambang Kasi', 'sandi-kasi-0001'],
  koordinator: ['Andi Koordinator', 'sandi-koor-0001'],
  seklur: ['Sri Seklur', 'sandi-seklur-01'],
  lurah: ['Bu Lurah', 'sandi-lurah-001'],
  admin: ['Pak Admin', 'sandi-admin-0001'],
};

let gagal = 0;
function fail(msg) {
  gagal += 1;
  console.error(`GAGAL: ${msg}`);
  process.exitCode = 1;
}

/// Runs `action` (a click that sends a form or follows a link) and waits until the page
/// it leads to has loaded and its address matches `url`. Waiting for the navigation
/// event, not for the address, so that a form that comes back to the same address is
/// still waited for.
async function navigate(page, url, action) {
  const done = page.waitForEvent('framenavigated', {
    predicate: (f) => f === page.mainFrame() && url.test(f.url()),
    timeout: 30000,
  });
  await Promise.all([done, action()]);
  await page.waitForLoadState('load');
}

/// Checks a page that has loaded: not wider than the screen, and laid out for the
/// screen's width (a phone zooms out of a page wider than itself, which would then fit
/// its own wider layout: so the screen's width is the measure, not the layout's); and,
/// when asked, keeps a picture of it.
async function look(page, layar, name) {
  await page.waitForLoadState('load');
  const w = layar.viewport.width;
  const m = await page.evaluate(() => ({
    lebar: document.documentElement.scrollWidth,
    tata: window.innerWidth,
  }));
  if (m.lebar > w || m.lebar > m.tata) {
    fail(`${layar.nama}, halaman ${name} lebih lebar dari layar: isinya ${m.lebar} piksel, layarnya ${w} piksel`);
  } else if (m.tata !== w) {
    fail(`${layar.nama}, halaman ${name} ditata untuk lebar ${m.tata} piksel, bukan lebar layar ${w} piksel (tag viewport hilang?)`);
  }
  if (shots) await page.screenshot({ path: `${shots}/${layar.nama}-${name}.png`, fullPage: true });
}

/// Every element of `loc` is on screen: shown (not hidden by CSS), with a size, and
/// inside the screen's width and inside any box it scrolls in (not pushed out of sight
/// to the right of a table that scrolls sideways).
async function onScreen(page, loc, what) {
  const n = await loc.count();
  if (n === 0) return fail(`${what}: tidak ada di halaman`);
  const layar = page.viewportSize().width;
  for (let i = 0; i < n; i++) {
    const el = loc.nth(i);
    if (!(await el.isVisible())) {
      fail(`${what}: ada di halaman tetapi tersembunyi`);
      continue;
    }
    const why = await el.evaluate((e, layar) => {
      const r = e.getBoundingClientRect();
      const lebar = Math.min(layar, window.innerWidth);
      if (r.width < 1 || r.height < 1) return 'tidak berukuran';
      if (r.left < -0.5 || r.right > lebar + 0.5) {
        return `berada di ${Math.round(r.left)}–${Math.round(r.right)} piksel, di luar layar selebar ${layar} piksel`;
      }
      for (let a = e.parentElement; a; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.display === 'none' || s.visibility === 'hidden' || s.opacity === '0') return 'disembunyikan';
        if (s.overflowX !== 'visible') {
          const q = a.getBoundingClientRect();
          if (r.left < q.left - 0.5 || r.right > q.right + 0.5) return 'terpotong oleh kotak yang menggulungnya ke samping';
        }
      }
      return '';
    }, layar);
    if (why) fail(`${what}: ${why}`);
  }
}

async function logIn(page, layar, peran, name) {
  const [nama, sandi] = AKUN[peran];
  await page.goto(`${base}/masuk`);
  if (name) await look(page, layar, name);
  await page.fill('#nama', nama);
  await page.fill('#sandi', sandi);
  await navigate(page, new RegExp(`^${base}/$`), () => page.click('main button[type=submit]'));
  const who = await page.textContent('header');
  if (!who.includes(nama)) fail(`${nama} tidak terlihat masuk: ${who}`);
}

async function logOut(page) {
  await navigate(page, /\/masuk$/, () => page.click('header button:has-text("Keluar")'));
}

async function asRole(peran, work) {
  const context = await browser.newContext({ viewport: DESKTOP.viewport, locale: 'id-ID' });
  const page = await context.newPage();
  await logIn(page, DESKTOP, peran);
  await work(page);
  await logOut(page);
  await context.close();
}

/// Presses this person's step on a request page and expects the request page back,
/// without an error.
async function step(page, label) {
  await navigate(page, /\/permohonan\/\d+$/, () => page.click(`main button:has-text("${label}")`));
  const error = await page.$('.galat');
  if (error) fail(`${label}: ${await error.textContent()}`);
}

/// Fills the domicile form for Siti Aminah; `berkas` says which papers are ticked.
async function fillDomisili(page, berkas) {
  await page.fill('#nama', 'Siti Aminah');
  await page.fill('#nik', '1571094506900003');
  await page.fill('#alamat', 'Jl. Kapten Pattimura No. 12');
  await page.fill('#rt', '9');
  await page.fill('#rw', '3');
  await page.fill('[id="isian:tempat_lahir"]', 'Jambi');
  await page.selectOption('[id="isian:agama"]', 'Islam');
  await page.fill('[id="isian:pekerjaan"]', 'Wiraswasta');
  await page.selectOption('[id="isian:status_perkawinan"]', 'Kawin');
  await page.check('input[name=kanal][value=langsung]');
  for (const box of await page.$$('input[name=berkas]')) {
    if (berkas(await box.getAttribute('value'))) await box.check();
    else await box.uncheck();
  }
}

/// The accept button (and its form) of a request page.
function acceptButton(page) {
  return page.locator('form[action$="/lanjut"] button, main button:has-text("Terima")');
}

/// Every page a clerk uses, at one screen size, with the checks every size must pass.
async function tour(layar) {
  const context = await browser.newContext({
    viewport: layar.viewport,
    isMobile: layar.isMobile,
    hasTouch: !!layar.hasTouch,
    locale: 'id-ID',
  });
  const page = await context.newPage();
  const t = layar.nama;

  // The Operator: the counter's pages.
  await logIn(page, layar, 'operator', 'masuk');
  await look(page, layar, 'beranda-operator');
  // A worklist longer than a page: fifty rows, the whole count, the way to the rest.
  await onScreen(page, page.locator('main p', { hasText: /\d+ permohonan menunggu langkah Anda.*ditampilkan 1–50/ }),
    `${t}: jumlah daftar pekerjaan dan baris yang ditampilkan`);
  const baris = await page.locator('main table.daftar tbody tr').count();
  if (baris !== 50) fail(`${t}: halaman pertama daftar pekerjaan berisi ${baris} baris, bukan 50`);
  await navigate(page, /\/\?halaman=2$/, () => page.click('main nav.halaman a:has-text("Berikutnya")'));
  await look(page, layar, 'beranda-operator-halaman-2');
  await onScreen(page, page.locator('main p', { hasText: 'ditampilkan 51–' }), `${t}: halaman kedua daftar pekerjaan`);
  await onScreen(page, page.locator('main nav.halaman a', { hasText: 'Sebelumnya' }), `${t}: tautan ke halaman sebelumnya`);
  await navigate(page, /\/permohonan\/baru$/, () => page.click('header a:has-text("Permohonan baru")'));
  await look(page, layar, 'permohonan-baru-pilih-jenis');
  await navigate(page, /jenis=sk-domisili/, () => page.click('main a:has-text("Surat Keterangan Domisili")'));
  await look(page, layar, 'permohonan-baru-formulir');
  await datesDayFirst(page, t);

  // A request with a required paper not brought: no accept button, and why.
  await fillDomisili(page, (kode) => kode === 'pengantar-rt');
  await navigate(page, /\/permohonan\/\d+$/, () => page.click('main button:has-text("Catat permohonan")'));
  const kurangUrl = page.url();
  await look(page, layar, 'permohonan-berkas-kurang');
  if ((await acceptButton(page).count()) !== 0) {
    fail(`${t}: permohonan yang berkas wajibnya belum lengkap masih menampilkan tombol terima`);
  }
  await onScreen(page, page.locator('main .pesan', { hasText: 'Belum ada' }), `${t}: keterangan berkas yang belum ada`);

  // Refused, with a reason: the reason is on screen, in the history too.
  const alasan = `Pengantar RT belum dibawa (${t})`;
  await page.click('main summary:has-text("Tolak permohonan")');
  await page.fill('#alasan', alasan);
  await page.check('main input[name=yakin]');
  await look(page, layar, 'permohonan-tolak-terbuka');
  await navigate(page, /\/permohonan\/\d+$/, () => page.click('main button:has-text("Tolak permohonan")'));
  if (page.url() !== kurangUrl) fail(`${t}: sesudah menolak, halaman bukan permohonannya: ${page.url()}`);
  await look(page, layar, 'permohonan-ditolak');
  await onScreen(page, page.getByText(alasan), `${t}: alasan penolakan di halaman permohonan`);
  await onScreen(page, page.locator('main table td', { hasText: alasan }), `${t}: alasan penolakan di riwayat (Catatan)`);

  // A complete request, accepted twice from two tabs: the second press is a step out of
  // turn and ends on an error page with the menu and the way back to the request.
  await navigate(page, /jenis=sk-domisili/, () => page.goto(`${base}/permohonan/baru?jenis=sk-domisili`));
  await fillDomisili(page, () => true);
  await navigate(page, /\/permohonan\/\d+$/, () => page.click('main button:has-text("Catat permohonan")'));
  const lengkapUrl = page.url();
  await look(page, layar, 'permohonan-siap-diterima');
  if ((await acceptButton(page).count()) === 0) fail(`${t}: permohonan yang berkasnya lengkap tidak menampilkan tombol terima`);
  // Accepting and refusing must not look alike.
  const rupa = await page.evaluate(() => {
    const of = (sel) => {
      const b = document.querySelector(sel);
      if (!b) return null;
      const c = getComputedStyle(b);
      return `${c.backgroundColor} / ${c.color} / ${c.borderTopColor}`;
    };
    return { terima: of('form[action$="/lanjut"] button'), tolak: of('form[action$="/tolak"] button') };
  });
  if (!rupa.terima || !rupa.tolak) fail(`${t}: tombol terima atau tombol tolak tidak ada`);
  else if (rupa.terima === rupa.tolak) fail(`${t}: tombol terima dan tombol tolak tampak sama (${rupa.terima})`);
  await navigate(page, /\/lengkapi$/, () => page.goto(`${lengkapUrl}/lengkapi`));
  await look(page, layar, 'permohonan-lengkapi');
  await navigate(page, /\/permohonan\/\d+$/, () => page.goto(lengkapUrl));
  const second = await context.newPage();
  await second.goto(lengkapUrl);
  await step(page, 'Terima');
  await look(page, layar, 'permohonan-diterima');
  await navigate(second, /\/lanjut$/, () => second.click('main button:has-text("Terima")'));
  await look(second, layar, 'galat-langkah-dua-kali');
  const h1 = await second.textContent('h1');
  if (!/Tidak dapat dilanjutkan/.test(h1 || '')) fail(`${t}: halaman galat berjudul ${h1}`);
  await onScreen(second, second.locator('main .galat'), `${t}: pesan galat`);
  for (const menu of ['Register', 'Blanko', 'Laporan', 'Keluar']) {
    await onScreen(second, second.locator('header').getByText(menu, { exact: true }), `${t}: menu "${menu}" di halaman galat`);
  }
  const back = second.locator('main a:has-text("Kembali ke permohonan")');
  await onScreen(second, back, `${t}: tautan "Kembali ke permohonan" di halaman galat`);
  if ((await back.count()) > 0) {
    await navigate(second, /\/permohonan\/\d+$/, () => back.first().click());
    if (second.url() !== lengkapUrl) fail(`${t}: "Kembali ke permohonan" membuka ${second.url()}, bukan ${lengkapUrl}`);
  }
  await second.close();

  // The other pages of the counter.
  await navigate(page, /\/register$/, () => page.click('header a:has-text("Register")'));
  await look(page, layar, 'register');
  await page.fill('#cari', 'Siti');
  await navigate(page, /\/register\?/, () => page.click('main button:has-text("Cari")'));
  await look(page, layar, 'register-cari');
  // The first result whole on the first screen; on a phone the other filters are folded.
  const first = await page.locator('main table.daftar tbody tr').first().boundingBox();
  if (!first || first.y + first.height > layar.viewport.height) {
    fail(`${t}: hasil pertama pencarian register tidak utuh di layar pertama (berakhir di ${first && Math.round(first.y + first.height)} piksel, layarnya ${layar.viewport.height})`);
  }
  const tahapTampak = await page.locator('#tahap').isVisible();
  if (layar.isMobile && tahapTampak) fail(`${t}: saringan tahap register tidak terlipat di ponsel`);
  if (!layar.isMobile && !tahapTampak) fail(`${t}: saringan tahap register tersembunyi di layar lebar`);
  // A filter chosen: the folded filters are open and say what is chosen.
  await navigate(page, /tahap=ditolak/, () => page.goto(`${base}/register?cari=Siti&tahap=ditolak`));
  await look(page, layar, 'register-saring');
  await onScreen(page, page.locator('#tahap'), `${t}: saringan tahap yang dipilih`);
  await onScreen(page, page.locator('main a', { hasText: 'Hapus saringan' }), `${t}: tautan hapus saringan`);
  if (layar.isMobile) {
    await onScreen(page, page.locator('main summary', { hasText: 'Saring: Ditolak' }), `${t}: ringkasan saringan`);
  }
  await navigate(page, /\/penduduk$/, () => page.click('header a:has-text("Penduduk")'));
  await look(page, layar, 'penduduk');
  await page.fill('#cari', 'siti');
  await navigate(page, /\/penduduk\?cari=/, () => page.click('main button:has-text("Cari")'));
  await look(page, layar, 'penduduk-cari');
  await navigate(page, /\/penduduk\?nik=/, () => page.click('main table a'));
  await look(page, layar, 'penduduk-satu');
  await navigate(page, /\/blanko$/, () => page.click('header a:has-text("Blanko")'));
  await look(page, layar, 'blanko');
  await navigate(page, /\/laporan$/, () => page.click('header a:has-text("Laporan")'));
  await look(page, layar, 'laporan-operator');
  await navigate(page, /\/tidak-ada$/, () => page.goto(`${base}/tidak-ada`));
  await look(page, layar, 'galat-tidak-ada');
  await logOut(page);

  // The Kasi's worklist holds the request accepted above.
  await logIn(page, layar, 'kasi');
  await look(page, layar, 'beranda-kasi');
  await logOut(page);

  // The Koordinator makes the reports: the last quarter over, chosen from the list.
  await logIn(page, layar, 'koordinator');
  await navigate(page, /\/laporan$/, () => page.click('header a:has-text("Laporan")'));
  await look(page, layar, 'laporan-koordinator');
  const triwulan = await page.$eval('#triwulan', (s) => s.options[s.selectedIndex].textContent);
  await navigate(page, /\/laporan\?dibuat=/, () => page.click('main button:has-text("Buat laporan triwulan")'));
  await onScreen(page, page.locator('main .pesan', { hasText: 'sudah dibuat' }), `${t}: pesan laporan triwulan dibuat`);
  const dibuat = (await page.textContent('main .pesan')) || '';
  if (!dibuat.includes(triwulan.replace(' (sudah dibuat)', ''))) fail(`${t}: laporan ${triwulan} tidak disebut dibuat: ${dibuat}`);
  await look(page, layar, 'laporan-dibuat');
  await logOut(page);

  // The administrator: what stands where, the import, the outbox, the schedules.
  await logIn(page, layar, 'admin');
  await look(page, layar, 'beranda-admin');
  await navigate(page, /\/impor$/, () => page.click('header a:has-text("Impor")'));
  await look(page, layar, 'impor');
  await fileButton(page, t);
  // A dry run only: its summary table is wide, and may scroll in its own box.
  await page.setInputFiles('#berkas', [
    fileURLToPath(new URL('../fixtures/impor/register-kantor.xlsx', import.meta.url)),
    fileURLToPath(new URL('../fixtures/impor/rusak-csv.xls', import.meta.url)),
  ]);
  await onScreen(page, page.locator('main .berkas-dipilih'), `${t}: keterangan berkas sudah dipilih`);
  if (await page.locator('main .berkas-belum').isVisible()) fail(`${t}: masih tertulis belum ada berkas dipilih`);
  await look(page, layar, 'impor-dipilih');
  await navigate(page, /\/impor\/uji$/, () => page.click('main button:has-text("Periksa")'));
  await look(page, layar, 'impor-uji');
  await navigate(page, /\/surel$/, () => page.click('header a:has-text("Kotak keluar")'));
  await look(page, layar, 'surel');
  await navigate(page, /\/jadwal$/, () => page.click('header a:has-text("Jadwal")'));
  await look(page, layar, 'jadwal');
  await logOut(page);
  await context.close();
}

/// The new-request form's dates are text written day first (the browser's own date
/// field would follow the browser's language).
async function datesDayFirst(page, t) {
  const native = await page.locator('main input[type=date]').count();
  if (native !== 0) fail(`${t}: formulir memakai kolom tanggal peramban (${native})`);
  const v = await page.inputValue('#tanggal');
  if (!/^\d{2}-\d{2}-\d{4}$/.test(v)) fail(`${t}: tanggal permohonan tertulis "${v}", bukan hari-bulan-tahun`);
}

/// The import form's file button is the page's own label; the browser's control is
/// out of sight but still takes the keyboard's focus.
async function fileButton(page, t) {
  await onScreen(page, page.locator('main label.tombol-berkas', { hasText: 'Pilih berkas' }), `${t}: tombol "Pilih berkas…"`);
  await onScreen(page, page.locator('main .berkas-belum'), `${t}: keterangan belum ada berkas dipilih`);
  const box = await page.locator('#berkas').boundingBox();
  if (!box || box.width > 1 || box.height > 1) fail(`${t}: kontrol berkas peramban terlihat (${box && box.width}×${box && box.height})`);
  await page.focus('#berkas');
  if ((await page.evaluate(() => document.activeElement && document.activeElement.id)) !== 'berkas') {
    fail(`${t}: kontrol berkas tidak dapat difokus papan ketik`);
  }
}

/// In a browser set to English, at phone width: the dates and the file button still
/// read Indonesian, and a date that cannot be read is refused naming its field.
async function inEnglish() {
  const layar = { ...PONSEL, nama: 'inggris-ponsel' };
  const context = await browser.newContext({
    viewport: layar.viewport, isMobile: true, hasTouch: true, locale: 'en-US',
  });
  const page = await context.newPage();
  const t = layar.nama;
  await logIn(page, layar, 'operator');
  await navigate(page, /jenis=pengantar-kehilangan/, () => page.goto(`${base}/permohonan/baru?jenis=pengantar-kehilangan`));
  await look(page, layar, 'permohonan-baru-kehilangan');
  await datesDayFirst(page, t);
  await page.fill('#nama', 'Budi Santoso');
  await page.fill('#nik', '1571091203850021');
  await page.fill('#alamat', 'Jl. Sumbawa No. 3');
  await page.fill('#rt', '4');
  await page.fill('#rw', '2');
  await page.fill('[id="isian:tempat_lahir"]', 'Jambi');
  await page.selectOption('[id="isian:agama"]', 'Islam');
  await page.fill('[id="isian:pekerjaan"]', 'Pedagang');
  await page.selectOption('[id="isian:status_perkawinan"]', 'Kawin');
  await page.fill('[id="isian:barang_hilang"]', 'Dompet');
  await page.fill('[id="isian:tanggal_kehilangan"]', '31-02-2026');
  await page.fill('[id="isian:tempat_kehilangan"]', 'Pasar Angso Duo');
  await navigate(page, /\/permohonan\/baru$/, () => page.click('main button:has-text("Catat permohonan")'));
  await look(page, layar, 'permohonan-tanggal-salah');
  await onScreen(page, page.locator('main .galat li', { hasText: 'Tanggal kehilangan: “31-02-2026” tidak terbaca' }),
    `${t}: tanggal yang tidak terbaca disebut dengan nama kolomnya`);
  await logOut(page);
  await logIn(page, layar, 'admin');
  await navigate(page, /\/impor$/, () => page.goto(`${base}/impor`));
  await look(page, layar, 'impor');
  await fileButton(page, t);
  await logOut(page);
  await context.close();
}

let requestUrl = '';
let nomor = '';
try {
  await asRole('operator', async (page) => {
    await navigate(page, /\/permohonan\/baru$/, () => page.click('header a:has-text("Permohonan baru")'));
    await navigate(page, /jenis=sk-domisili/, () => page.click('main a:has-text("Surat Keterangan Domisili")'));
    await fillDomisili(page, () => true);
    await navigate(page, /\/permohonan\/\d+$/, () => page.click('button:has-text("Catat permohonan")'));
    requestUrl = page.url();
    nomor = (await page.textContent('h1')).replace('Permohonan ', '').trim();
    await step(page, 'Terima: berkas lengkap');
  });
  await asRole('kasi', async (page) => {
    // Today's work lists it; the Kasi opens it from there.
    await navigate(page, /\/permohonan\/\d+$/, () => page.click(`main a:text-is("${nomor}")`));
    await step(page, 'Teruskan ke Koordinator');
  });
  await asRole('koordinator', async (page) => {
    await navigate(page, /\/permohonan\/\d+$/, () => page.click(`main a:text-is("${nomor}")`));
    await step(page, 'Tindak lanjuti dan terbitkan surat');
    const href = await page.getAttribute('text=Cetak surat (PDF)', 'href');
    const res = await page.request.get(`${base}${href}`);
    if (res.status() !== 200) fail(`surat PDF: ${res.status()}`);
    await writeFile(pdfPath, await res.body());
    await step(page, 'Laporkan ke Seklur');
  });
  await asRole('seklur', async (page) => {
    await page.goto(requestUrl);
    await step(page, 'Laporkan ke Lurah');
  });
  await asRole('lurah', async (page) => {
    await page.goto(requestUrl);
    const tahap = await page.textContent('main table');
    if (!tahap.includes('Dilaporkan ke Lurah')) fail(`tahap akhir: ${tahap}`);
  });
  await tour(PONSEL);
  await tour(DESKTOP);
  await inEnglish();
  console.log(JSON.stringify({ nomor, url: requestUrl, gagal }));
} catch (e) {
  fail(e.stack || String(e));
} finally {
  await browser.close();
}
