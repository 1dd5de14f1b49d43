import { render } from 'preact';
import { AuthSession } from './api/auth';
import { App } from './components/App';
import './styles.css';

render(<App auth={new AuthSession()} />, document.getElementById('app')!);
