import type { AlertPayload } from '../delivery.types';
import { escapeHtml, eventVerb, LEVEL_COLOURS, metricRows, oneLine, placeOf } from './format';

export interface EmailContent {
  subject: string;
  html: string;
  text: string;
}

/** Only http(s) links go into the mail (a javascript: URL in data must never become a link). */
export function safeLink(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.toString() : null;
  } catch {
    return null;
  }
}

/**
 * Subject "[CRITICAL] Crowd risk at <camera> — <location>" (escalations say "escalated", the stand-down is
 * "[ALL CLEAR] Crowd risk cleared at ..."), an HTML body (level colour, message, metrics table, link to the
 * camera, inline note about the attached snapshot) and its plain-text alternative. Everything from data is escaped.
 */
export function buildEmail(a: AlertPayload, opts: { snapshotAttached: boolean }): EmailContent {
  const clear = a.event === 'all_clear';
  const place = placeOf(a);
  const level = oneLine(a.level, 16);
  const subject = clear
    ? `[ALL CLEAR] Crowd risk cleared at ${place}`
    : `[${level}] Crowd risk ${a.event === 'escalated' ? 'escalated ' : ''}at ${place}`;
  const colour = clear ? LEVEL_COLOURS.SAFE : (LEVEL_COLOURS[a.level] ?? '#6c757d');
  const rows = metricRows(a.metrics);
  const link = safeLink(a.consoleUrl);
  const when = new Date(a.triggeredAt).toISOString();
  const message = oneLine(a.message, 1000);
  const condition = oneLine(a.condition, 200);
  const heading = clear ? 'All clear' : `${level} crowd risk`;

  const e = escapeHtml;
  const html = [
    '<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;color:#212529;margin:0;padding:16px">',
    `<div style="border-left:6px solid ${colour};padding:8px 16px">`,
    `<h2 style="margin:0 0 8px;color:${colour}">${e(heading)}</h2>`,
    `<p style="margin:0 0 4px"><strong>${e(place)}</strong></p>`,
    `<p style="margin:0 0 4px">${e(message)}</p>`,
    `<p style="margin:0 0 12px;color:#6c757d;font-size:13px">Alert ${e(eventVerb(a.event))} · ${e(condition)} · ${e(when)}</p>`,
    rows.length
      ? `<table cellpadding="6" cellspacing="0" style="border-collapse:collapse;font-size:14px">${rows
          .map((r) => `<tr><th align="left" style="border-bottom:1px solid #dee2e6">${e(r.label)}</th><td style="border-bottom:1px solid #dee2e6">${e(r.value)}</td></tr>`)
          .join('')}</table>`
      : '',
    link ? `<p style="margin:16px 0 0"><a href="${e(link)}" style="background:${colour};color:#fff;padding:8px 14px;text-decoration:none;border-radius:4px">Open camera in console</a></p>` : '',
    opts.snapshotAttached ? '<p style="color:#6c757d;font-size:13px">The annotated frame that triggered this alert is attached.</p>' : '',
    '</div></body></html>',
  ].join('');

  const text = [
    `${heading} — ${place}`,
    message,
    `Alert ${eventVerb(a.event)} · ${condition} · ${when}`,
    '',
    ...rows.map((r) => `${r.label}: ${r.value}`),
    '',
    link ? `Open camera: ${link}` : '',
    opts.snapshotAttached ? 'Snapshot attached.' : '',
  ]
    .filter((l, i, all) => l !== '' || (i > 0 && all[i - 1] !== ''))
    .join('\n')
    .trim();
  return { subject: oneLine(subject, 250), html, text };
}
