// One request through the whole SOP in a real headless Chromium, each role logged in
// in turn: the Operator takes it from the form, the Kasi passes it on, the Koordinator
// issues and downloads the letter and reports it, the Seklur reports to the Lurah, the
// Lurah sees it. Run by tests/integration/browser.rs:
//   node alur-sop.mjs http://127.0.0.1:PORT SURAT.pdf
import { chromium } from 'playwright-core';

const [base, pdfPath] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.KELURAHAN_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  // The machine has no internet: without these Chromium keeps trying to reach it.
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
         '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
});

function fail(msg) {
  console.error(`GAGAL: ${msg}`);
  process.exitCode = 1;
}

async function asRole(nama, sandi, work) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/masuk`);
  await page.fill('#nama', nama);
  await page.fill('#sandi', sandi);
  await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
  const who = await page.textContent('header');
  if (!who.includes(nama)) fail(`${nama} tidak terlihat masuk: ${who}`);
  await work(page);
  await Promise.all([page.waitForURL(/\/masuk/), page.click('header button')]);
  await context.close();
}

async function step(page, label) {
  await Promise.all([page.waitForURL(/\/permohonan\/\d+$/), page.click(`button:has-text("${label}")`)]);
  const error = await page.$('.galat');
  if (error) fail(`${label}: ${await error.textContent()}`);
}

let requestUrl = '';
let nomor = '';
try {
  await asRole('Rina Operator', 'sandi-operator-1', async (page) => {
    await page.click('text=Permohonan baru');
    await page.click('text=Surat Keterangan Domisili');
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
    for (const box of await page.$$('input[name=berkas]')) await box.check();
    await Promise.all([page.waitForURL(/\/permohonan\/\d+$/), page.click('button:has-text("Catat permohonan")')]);
    requestUrl = page.url();
    nomor = (await page.textContent('h1')).replace('Permohonan ', '').trim();
    await step(page, 'Terima: berkas lengkap');
  });
  await asRole('Bambang Kasi', 'sandi-kasi-0001', async (page) => {
    // Today's work lists it; the Kasi opens it from there.
    await page.click(`text=${nomor}`);
    await step(page, 'Teruskan ke Koordinator');
  });
  await asRole('Andi Koordinator', 'sandi-koor-0001', async (page) => {
    await page.click(`text=${nomor}`);
    await step(page, 'Tindak lanjuti dan terbitkan surat');
    const href = await page.getAttribute('text=Cetak surat (PDF)', 'href');
    const res = await page.request.get(`${base}${href}`);
    if (res.status() !== 200) fail(`surat PDF: ${res.status()}`);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(pdfPath, await res.body());
    await step(page, 'Laporkan ke Seklur');
  });
  await asRole('Sri Seklur', 'sandi-seklur-01', async (page) => {
    await page.goto(requestUrl);
    await step(page, 'Laporkan ke Lurah');
  });
  await asRole('Bu Lurah', 'sandi-lurah-001', async (page) => {
    await page.goto(requestUrl);
    const tahap = await page.textContent('table');
    if (!tahap.includes('Dilaporkan ke Lurah')) fail(`tahap akhir: ${tahap}`);
  });
  console.log(JSON.stringify({ nomor, url: requestUrl }));
} catch (e) {
  fail(e.stack || String(e));
} finally {
  await browser.close();
}
