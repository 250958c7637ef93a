// Seeds the test Znuny's tickets through its own Generic Interface (the stock
// GenericTicketConnectorREST web service), the way customers and agents make them: each ticket is
// created by its customer (SessionCreate, then TicketCreate), the agent emma answers, writes an
// internal note and sets states with her UserLogin/Password (TicketUpdate). Run once by
// `cargo xtask real-znuny setup`, after system.pl made the people and queues:
//   node xtask/real-znuny/seed.mjs <web service URL> <seed.json to write>
// The tickets mirror the dev server's demo seed (devserver/src/znuny/seed.rs: its ids 101-108 are
// the keys of seed.json); Znuny picks the real ids and numbers, which seed.json records.
import { writeFileSync } from 'node:fs';

const [base, out] = process.argv.slice(2);
if (!base || !out) {
  console.error('usage: node seed.mjs <web service URL> <seed.json>');
  process.exit(2);
}

const PASSWORDS = { alice: 'alice-demo', carol: 'carol-demo', bob: 'bob-demo' };
const AGENT = { UserLogin: 'emma', Password: 'emma-demo' };
const AGENT_FROM = '"Emma Agent" <emma@helpdesk.example>';
const NAMES = {
  alice: '"Alice Anders" <alice@example.com>',
  carol: '"Carol Chen" <carol@example.com>',
  bob: '"Bob Brown" <bob@example.com>',
};
const INTERNAL_NOTE = 'INTERNAL-NOTE-MARKER check the warranty first.';
const PRINTER_LOG = 'Printer log: smoke detected at 09:14\n';
const AGENT_NOTES = 'AGENT-FIELD-MARKER customer is difficult; do not escalate.';

/** The one-page PDF the dev server's seeds attach to the agent's answer on 101 (checklist_pdf). */
function checklistPdf() {
  const content =
    'BT /F1 18 Tf 72 720 Td (Fire safety checklist) Tj 0 -28 Td /F1 12 Tf (1. Leave the room  2. Close the door) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

const TICKETS = [
  {
    key: 108,
    title: 'Laptop battery swollen',
    customer: 'carol',
    queue: 'Support',
    body: 'The battery of my laptop is swollen and the case does not close any more.',
    state: 'closed successful',
  },
  {
    key: 103,
    title: 'Invoice copy needed',
    customer: 'alice',
    queue: 'Sales',
    body: 'Could you send me a copy of invoice 2024-0815? I need it for our accounting.',
    reply: '<p>Hi Alice,</p><p>we have sent the invoice copy to your e-mail address.</p><p>Emma</p>',
    state: 'closed successful',
  },
  {
    key: 104,
    title: 'Password reset mail did not arrive',
    customer: 'alice',
    queue: 'Support',
    body: 'I requested a password reset but the mail never arrived.',
    reply: '<p>Hi Alice,</p><p>please check your spam folder, we sent the mail again.</p>',
    state: 'closed successful',
  },
  {
    key: 105,
    title: 'Replacement keyboard',
    customer: 'alice',
    queue: 'Support',
    body: 'Some keys of my keyboard stopped working. Can I get a replacement?',
    reply: '<p>We ordered it. It should arrive within a week.</p>',
    state: 'pending reminder',
  },
  {
    key: 102,
    title: 'VPN access for new colleague',
    customer: 'carol',
    queue: 'Support',
    body: 'Please create a VPN account for our new colleague Dave, who starts on Monday.',
    // As in the fake's demo seed: values of two fields the customer sees (system.pl) and one
    // only agents see, which the portal must never show.
    fields: [
      { Name: 'Product', Value: 'scanner' },
      { Name: 'OrderDate', Value: '2026-11-02 00:00:00' },
    ],
    agentFields: [{ Name: 'AgentNotes', Value: AGENT_NOTES }],
    state: 'new',
  },
  {
    key: 107,
    title: 'Globex server outage',
    customer: 'bob',
    queue: 'Support',
    body: 'Our main server has been down since 6 am. Nobody can work.',
    state: 'open',
  },
  {
    key: 106,
    title: 'New monitor request',
    customer: 'alice',
    queue: 'Sales',
    body: 'I would like to request a second monitor (27 inch) for my desk.',
    state: 'new',
  },
  {
    key: 101,
    title: 'Printer on fire',
    customer: 'alice',
    queue: 'Support',
    body: 'The printer in room 42 is on fire.\nPlease send help!',
    attachment: { Filename: 'printer-log.txt', ContentType: 'text/plain', Content: Buffer.from(PRINTER_LOG).toString('base64') },
    note: INTERNAL_NOTE,
    reply: '<p>Hi Alice,</p><p>the <b>fire brigade</b> is on its way. Please leave the room.</p>',
    replyAttachment: { Filename: 'checklist.pdf', ContentType: 'application/pdf', Content: checklistPdf().toString('base64') },
    state: 'open',
  },
];

async function call(method, route, body) {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let answer;
  try {
    answer = JSON.parse(text);
  } catch {
    answer = null;
  }
  if (res.status !== 200 || !answer || answer.Error) {
    throw new Error(`seed: ${method} ${route} -> HTTP ${res.status}: ${text.slice(0, 500)}`);
  }
  return answer;
}

/** Znuny's "YYYY-MM-DD HH:MM" parts, `days` from now (the system time zone is UTC). */
function pendingTime(days) {
  const at = new Date(Date.now() + days * 86_400_000);
  return {
    Year: at.getUTCFullYear(),
    Month: at.getUTCMonth() + 1,
    Day: at.getUTCDate(),
    Hour: at.getUTCHours(),
    Minute: at.getUTCMinutes(),
  };
}

const sessions = {};
async function sessionOf(login) {
  sessions[login] ??= (await call('POST', '/Session', { CustomerUserLogin: login, Password: PASSWORDS[login] })).SessionID;
  return sessions[login];
}

const seeded = {};
for (const t of TICKETS) {
  const SessionID = await sessionOf(t.customer);
  const created = await call('POST', '/Ticket', {
    SessionID,
    Ticket: { Title: t.title, Queue: t.queue, State: 'new', Priority: '3 normal', CustomerUser: t.customer },
    Article: {
      CommunicationChannel: 'Internal',
      SenderType: 'customer',
      IsVisibleForCustomer: 1,
      From: NAMES[t.customer],
      Subject: t.title,
      Body: t.body,
      ContentType: 'text/plain; charset=utf-8',
    },
    ...(t.attachment ? { Attachment: [t.attachment] } : {}),
    ...(t.fields ? { DynamicField: t.fields } : {}),
  });
  const id = String(created.TicketID);
  if (t.agentFields) await call('PATCH', `/Ticket/${id}`, { ...AGENT, DynamicField: t.agentFields });
  if (t.note) {
    await call('PATCH', `/Ticket/${id}`, {
      ...AGENT,
      Article: {
        CommunicationChannel: 'Internal',
        SenderType: 'agent',
        IsVisibleForCustomer: 0,
        From: AGENT_FROM,
        Subject: 'Internal note',
        Body: t.note,
        ContentType: 'text/plain; charset=utf-8',
      },
    });
  }
  if (t.reply) {
    await call('PATCH', `/Ticket/${id}`, {
      ...AGENT,
      Article: {
        CommunicationChannel: 'Internal',
        SenderType: 'agent',
        IsVisibleForCustomer: 1,
        From: AGENT_FROM,
        Subject: `RE: ${t.title}`,
        Body: t.reply,
        ContentType: 'text/html; charset=utf-8',
      },
      ...(t.replyAttachment ? { Attachment: [t.replyAttachment] } : {}),
    });
  }
  if (t.state !== 'new') {
    const Ticket = { State: t.state };
    if (t.state.startsWith('pending')) Ticket.PendingTime = pendingTime(2);
    await call('PATCH', `/Ticket/${id}`, { ...AGENT, Ticket });
  }
  seeded[t.key] = {
    id,
    number: String(created.TicketNumber),
    title: t.title,
    customer: t.customer,
    queue: t.queue,
    state: t.state,
  };
  console.log(`seed: ticket ${id} "${t.title}" (${t.customer}, ${t.queue}, ${t.state})`);
}

writeFileSync(
  out,
  `${JSON.stringify({ tickets: seeded, internal_note: INTERNAL_NOTE, printer_log: PRINTER_LOG, agent_notes: AGENT_NOTES }, null, 2)}\n`,
);
console.log(`seed: ${Object.keys(seeded).length} tickets, written to ${out}`);
