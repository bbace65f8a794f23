export { CountTileComponent } from './lib/count-tile.component';
export { LiveFrameCanvasComponent, type CanvasFrame } from './lib/live-frame-canvas.component';
export { StatusDotComponent, type DotStatus } from './lib/status-dot.component';
export { formatAge } from './lib/format-age';
