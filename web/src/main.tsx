import { createRoot } from 'react-dom/client';
import '@fontsource/noto-sans-kr/400.css';
import '@fontsource/noto-sans-kr/700.css';
import './styles.css';
import { App } from './App';

createRoot(document.getElementById('root')!).render(<App />);
