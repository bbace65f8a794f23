export { CountTileComponent } from './lib/count-tile.component';
export { LiveFrameCanvasComponent, type CanvasFrame, type CanvasZone } from './lib/live-frame-canvas.component';
export { StatusDotComponent, type DotStatus } from './lib/status-dot.component';
export { formatAge, formatNumber } from './lib/format-age';

// E2: dialogs and toasts for the management pages.
export { ModalComponent } from './lib/modal.component';
export { ToastService, type Toast } from './lib/toast.service';
export { ToastsComponent } from './lib/toasts.component';

// E1: live console pieces.
export { RISK_CLASSES, RiskBadgeComponent, densityClass } from './lib/risk-badge.component';
