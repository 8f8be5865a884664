/** @module main — the entry file: Mantine's theme and styles around the App, mounted on #root. */
import '@mantine/core/styles.css';
import './theme.css';
import { Badge, MantineProvider, createTheme } from '@mantine/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';

// Shade 8 keeps white text on primary buttons above 4.5:1 (shade 6 is 4.3:1).
const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  defaultRadius: 'md',
  // Light badges put mid-tone text on a tinted ground, under 4.5:1; the default variant doesn't.
  components: { Badge: Badge.extend({ defaultProps: { variant: 'default' } }) },
});

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <App />
    </MantineProvider>
  </StrictMode>,
);
