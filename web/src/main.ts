// The entry script is kept small: it starts the requests the first view needs (lib/boot.ts)
// and then loads the app, so the data and the code travel at the same time instead of one
// after the other.
import './app.css';
import { startEarlyRequests } from './lib/boot.ts';

startEarlyRequests();
void import('./mount.ts');
