/**
 * Outline buttons and danger links with WCAG AA text contrast in both themes (Bootstrap's outline colours fall below
 * 4.5:1 on the dark body background). Add to a component's `styles`.
 */
export const CONTRAST_CSS = `
  .btn-outline-primary { --bs-btn-color: var(--bs-primary-text-emphasis); }
  .btn-outline-secondary { --bs-btn-color: var(--bs-body-color); }
  .btn-outline-success { --bs-btn-color: var(--bs-success-text-emphasis); }
  .btn-outline-danger { --bs-btn-color: var(--bs-danger-text-emphasis); }
  .btn-link.text-danger { color: var(--bs-danger-text-emphasis) !important; }
  .btn:disabled, .btn.disabled { opacity: 0.8; }
`;
