/** Which execution provider runs the model, and the switch between WebGPU and WebAssembly. */
import { h, replaceChildren } from '../app/dom.js';
import { DEVICE_LABELS, type Device } from '../runtime/device.js';
import type { Panel, PanelContext } from './panel.js';

export function mountDevicePanel(container: HTMLElement, { store, controller }: PanelContext): Panel {
  const buttons: Record<Device, HTMLButtonElement> = {
    webgpu: h('button', { type: 'button', class: 'seg', 'data-device': 'webgpu', onclick: () => void controller.setDevice('webgpu') }, 'WebGPU'),
    wasm: h('button', { type: 'button', class: 'seg', 'data-device': 'wasm', onclick: () => void controller.setDevice('wasm') }, 'WASM'),
  };
  const status = h('p', { class: 'device-status', id: 'device-status', 'aria-live': 'polite' });
  const note = h('p', { class: 'device-note muted small', id: 'device-note' });
  container.classList.add('device');
  replaceChildren(
    container,
    h('div', { class: 'segmented', role: 'group', 'aria-label': 'Execution provider' }, buttons.webgpu, buttons.wasm),
    h('div', { class: 'device-text' }, status, note),
  );

  const unsubscribe = store.subscribe((s) => {
    const active: Device = s.model?.device ?? s.device;
    for (const d of ['webgpu', 'wasm'] as const) {
      buttons[d].setAttribute('aria-pressed', String(d === active));
      buttons[d].disabled = s.busy !== null;
    }
    const gpu = s.webgpu;
    buttons.webgpu.disabled ||= gpu !== null && !gpu.available;
    buttons.webgpu.title = gpu ? (gpu.available ? `WebGPU adapter: ${gpu.detail}` : gpu.detail) : 'checking for WebGPU…';
    status.dataset.device = active;
    status.dataset.inUse = String(s.model !== null);
    const where = active === 'webgpu' && gpu?.available ? `${DEVICE_LABELS.webgpu} · ${gpu.detail}` : DEVICE_LABELS[active];
    const prefix = s.model ? 'Running on' : 'Will run on';
    replaceChildren(status, h('span', { class: `dot dot-${active}` }), `${prefix} ${where}`);
    note.hidden = !gpu || gpu.available;
    note.textContent = gpu && !gpu.available ? `WebGPU unavailable: ${gpu.detail}` : '';
  });
  return { dispose: unsubscribe };
}
